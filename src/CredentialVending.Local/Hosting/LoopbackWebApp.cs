using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CredentialVending.Local.Hosting;

/// <summary>Kestrel on 127.0.0.1 only, on a free port unless one is given: every emulator of the local cloud listens this way.</summary>
public static class LoopbackWebApp
{
    /// <summary>A slim builder bound to loopback, with ASP.NET's own logging quiet.</summary>
    public static WebApplicationBuilder CreateBuilder(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 10 * 1024 * 1024);
        return builder;
    }

    /// <summary>Starts the app and answers the address it is bound to (<c>http://127.0.0.1:PORT</c>).</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }
}
