using CredentialVending.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// A folder served as static files on its own loopback port, as a web app's host serves it: its origin differs from the
/// API's, so the browser's calls to the API are CORS calls.
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSite(WebApplication app, Uri url) => (_app, Url) = (app, url);

    public Uri Url { get; }

    /// <summary>The site's origin (<c>http://127.0.0.1:PORT</c>), as the browser sends it in <c>Origin</c>.</summary>
    public string Origin => Url.GetLeftPart(UriPartial.Authority);

    public static async Task<StaticSite> StartAsync(string folder)
    {
        var app = LoopbackWebApp.CreateBuilder().Build();
        var files = new PhysicalFileProvider(folder);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,

            // Each test loads the page afresh; a cached app.js from an earlier edit must never be what runs.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-store",
        });
        return new StaticSite(app, await LoopbackWebApp.StartAsync(app));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
