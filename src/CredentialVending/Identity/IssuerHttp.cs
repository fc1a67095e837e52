using System.Net;
using System.Net.Sockets;

namespace CredentialVending.Identity;

/// <summary>
/// Where issuer fetches may go. <paramref name="RuntimeApi"/> is the function's <c>AWS_LAMBDA_RUNTIME_API</c>
/// (<c>host:port</c>): a fetch from it could take another caller's invocation or post answers in the function's name.
/// </summary>
public sealed record IssuerFetchRules(bool AllowInsecureLoopback, string? RuntimeApi);

/// <summary>Resolves a host name to its addresses (DNS in the service; a table in tests).</summary>
public delegate Task<IPAddress[]> HostResolver(string host, CancellationToken ct);

/// <summary>A fetch refused for the address it would have connected to; the message names the address and why.</summary>
public sealed class IssuerAddressRefusedException : IOException
{
    public IssuerAddressRefusedException(string message)
        : base(message)
    {
    }

    public IssuerAddressRefusedException()
    {
    }

    public IssuerAddressRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// The HTTP client issuer fetches use. The address rule is decided on the addresses a connection is really made to:
/// the name is resolved once, every address is checked, and the socket connects to those addresses, so DNS cannot
/// answer one address to the check and another to the connection. No proxy (it would hide the address), no automatic
/// redirects (<see cref="JwksFetcher"/> checks each hop as it checks the first request).
/// </summary>
public static class IssuerHttp
{
    public static HttpClient CreateClient(IssuerFetchRules rules, HostResolver? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var resolver = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = (context, ct) => ConnectAsync(context, rules, resolver, ct),
        };
        return new HttpClient(handler);
    }

    /// <summary>Null when a fetch of <paramref name="scheme"/> may connect to <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static string? Refusal(string scheme, IPAddress address, int port, IssuerFetchRules rules)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(rules);
        var why = scheme == Uri.UriSchemeHttps
            ? IssuerAddresses.NotPublicBecause(address) is { } kind ? $"is {kind}" : null
            : !rules.AllowInsecureLoopback || !IPAddress.IsLoopback(address)
                // Plain http is only ever the flagged loopback of local runs (IssuerUrls), and there it must really be loopback.
                ? "is not loopback, and http is fetched only from loopback"
                : null;
        return why ?? (IsRuntimeApi(address, port, rules.RuntimeApi) ? "is the Lambda Runtime API's own address" : null);
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, IssuerFetchRules rules, HostResolver resolve, CancellationToken ct)
    {
        var scheme = context.InitialRequestMessage.RequestUri?.Scheme ?? string.Empty;
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var isLiteral = IPAddress.TryParse(host.Trim('[', ']'), out var literal);
        var addresses = isLiteral ? [literal!] : await resolve(host, ct).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new IssuerAddressRefusedException($"{host} resolves to no address");
        }

        // Every address must pass: a name that answers one public and one private address is refused, not raced.
        foreach (var address in addresses)
        {
            if (Refusal(scheme, address, port, rules) is { } why)
            {
                throw new IssuerAddressRefusedException(isLiteral ? $"{address} {why}" : $"{host} resolves to {address}, which {why}");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The Runtime API's port on any loopback address: 127.0.0.1, [::1] and localhost reach the same listener.</summary>
    private static bool IsRuntimeApi(IPAddress address, int port, string? runtimeApi)
    {
        if (string.IsNullOrWhiteSpace(runtimeApi) || !Uri.TryCreate("http://" + runtimeApi, UriKind.Absolute, out var api) || api.Port != port)
        {
            return false;
        }

        return IPAddress.TryParse(api.Host.Trim('[', ']'), out var apiAddress) && !IPAddress.IsLoopback(apiAddress)
            ? apiAddress.Equals(address)
            : IPAddress.IsLoopback(address);
    }
}
