using System.Net;
using System.Reflection;
using System.Text.Json;

namespace CredentialVending.Local.Dashboard;

/// <summary>
/// <c>GET /_local/dashboard</c>: one page of plain HTML and JavaScript (no build step) that polls
/// <c>GET /_local/dashboard/figures</c>, the <see cref="LiveFigures"/> of this run. Development only, loopback callers only.
/// </summary>
public static class DashboardRoutes
{
    public const string Path = "/_local/dashboard";
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CredentialVending.Local.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("dashboard.html is not embedded in the local cloud.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static void Map(WebApplication app, LiveFigures figures)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(figures);
        app.MapGet(Path, async (HttpContext http) =>
        {
            if (Refuse(http))
            {
                return;
            }

            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.Body.WriteAsync(Page.Value, http.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet(Path + "/figures", async (HttpContext http) =>
        {
            if (Refuse(http))
            {
                return;
            }

            http.Response.ContentType = "application/json";
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                figures.WriteJson(json);
            }

            await http.Response.Body.WriteAsync(buffer.ToArray(), http.RequestAborted).ConfigureAwait(false);
        });
    }

    // As the other development-only routes: a run's figures are for the developer at this machine.
    private static bool Refuse(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        var remote = http.Connection.RemoteIpAddress;
        if (remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return false;
        }

        http.Response.StatusCode = 403;
        return true;
    }
}
