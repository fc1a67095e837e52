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

    /// <summary>A loopback port free right now, for a part whose own URL must be known before it listens (an issuer's <c>iss</c>).</summary>
    public static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    /// <summary>Whether a loopback port can be bound now.</summary>
    public static bool IsPortFree(int port)
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        try
        {
            probe.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
        finally
        {
            probe.Stop();
        }
    }

    /// <summary>
    /// An emulator on its own loopback app: <paramref name="create"/> makes the part around the app, which serves every
    /// request with <paramref name="handler"/>; a part whose app fails to start is disposed before the failure is thrown.
    /// </summary>
    public static async Task<(T Part, Uri Endpoint)> StartPartAsync<T>(int port, Func<WebApplication, T> create, Func<T, RequestDelegate> handler, CancellationToken cancellationToken)
        where T : IAsyncDisposable
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(handler);
        var app = CreateBuilder(port).Build();
        var part = create(app);
        app.Run(handler(part));
        try
        {
            return (part, await StartAsync(app, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await part.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the app and answers the address it is bound to (<c>http://127.0.0.1:PORT</c>).</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    /// <summary>Whether the request came from this machine: the development-only helper routes answer no one else.</summary>
    public static bool IsLoopbackCaller(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var remote = http.Connection.RemoteIpAddress;
        return remote is not null && System.Net.IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
    }
}
