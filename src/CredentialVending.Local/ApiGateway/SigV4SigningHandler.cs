using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace CredentialVending.Local.ApiGateway;

/// <summary>
/// Signs each request with SigV4 for <c>execute-api</c>, as an onboarding tool calling the admin routes would.
/// The key derivation and string to sign are the AWS SDK's own (<see cref="AWS4Signer.ComputeSignature(string, string, string, DateTime, string, string, string)"/>),
/// so the emulator's verifier is checked against AWS's code, not against a copy of itself. Signs <c>host</c> and
/// <c>x-amz-date</c> (and the session token when there is one), which is what the authorizer requires.
/// </summary>
public sealed class SigV4SigningHandler : DelegatingHandler
{
    private readonly IamCredential _credential;
    private readonly string _region;
    private readonly string? _sessionToken;
    private readonly string _service;

    /// <param name="service">The scope's service: <c>execute-api</c> for the admin routes, <c>iam</c> for the IAM emulator's tests.</param>
    public SigV4SigningHandler(IamCredential credential, string region, string? sessionToken = null, HttpMessageHandler? inner = null, string service = IamAuthorizer.Service)
        : base(inner ?? new HttpClientHandler())
    {
        _credential = credential;
        _region = region;
        _sessionToken = sessionToken;
        _service = service;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var uri = request.RequestUri!;
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            ["x-amz-date"] = amzDate,
        };
        if (_sessionToken is not null)
        {
            headers["x-amz-security-token"] = _sessionToken;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(string.Join('/', uri.AbsolutePath.Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))))).Append('\n')
            .Append(CanonicalQuery(uri.Query)).Append('\n')
            .Append(string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n"))).Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(Convert.ToHexStringLower(SHA256.HashData(body)))
            .ToString();
        var signature = AWS4Signer.ComputeSignature(_credential.AccessKeyId, _credential.SecretAccessKey, _region, now, _service, signedHeaders, canonical);
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (_sessionToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", _sessionToken);
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.ForAuthorizationHeader);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.EscapeDataString(Uri.UnescapeDataString(at < 0 ? pair : pair[..at]));
                var value = at < 0 ? string.Empty : Uri.EscapeDataString(Uri.UnescapeDataString(pair[(at + 1)..]));
                return (Name: name, Value: value);
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
}
