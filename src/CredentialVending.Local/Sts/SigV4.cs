using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CredentialVending.Local.Sts;

/// <summary>The parts of a SigV4 <c>Authorization</c> header.</summary>
internal sealed record SigV4Header(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature);

/// <summary>
/// Verifies AWS Signature Version 4 as AWS documents it (canonical request, string to sign, derived key), so a
/// client that signs wrongly fails here as it would against AWS. Header-signed requests only; no presigned URLs.
/// </summary>
internal static partial class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <summary>Null header and null error: the request is not signed at all.</summary>
    public static (SigV4Header? Header, StsError? Error) Parse(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return (null, null);
        }

        var match = HeaderPattern().Match(authorization);
        if (!match.Success)
        {
            return (null, StsError.IncompleteSignature($"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters, and the algorithm {Algorithm}."));
        }

        var scope = match.Groups["credential"].Value.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return (null, StsError.IncompleteSignature("Credential should be scoped to a valid region, service and 'aws4_request'."));
        }

        var signed = match.Groups["signed"].Value.Split(';');
        var header = new SigV4Header(scope[0], scope[1], scope[2], scope[3], signed, match.Groups["signature"].Value);
        return (header, null);
    }

    /// <summary>Checks the scope, the clock and the signature; null when the request is genuine.</summary>
    /// <param name="service">The service the scope must name: <c>sts</c> here, <c>execute-api</c> for the API Gateway emulator's IAM authorizer.</param>
    public static StsError? Verify(HttpRequest request, byte[] body, SigV4Header header, string secret, string region, DateTimeOffset now, string service = "sts")
    {
        if (!header.SignedHeaders.Contains("host"))
        {
            return StsError.IncompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return StsError.IncompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (header.Region != region)
        {
            return StsError.SignatureDoesNotMatch("Credential should be scoped to a valid region. ");
        }

        if (header.Service != service)
        {
            return StsError.SignatureDoesNotMatch($"Credential should be scoped to correct service: '{service}'. ");
        }

        if (header.Date != amzDate[..8])
        {
            return StsError.SignatureDoesNotMatch($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{header.Date}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        if ((now - signedAt).Duration() > MaxSkew)
        {
            var stamp = (DateTimeOffset d) => d.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            return StsError.SignatureDoesNotMatch($"Signature expired: {amzDate} is now earlier than {stamp(now - MaxSkew)} ({stamp(now)} - 15 min.)");
        }

        var expected = Sign(StringToSign(CanonicalRequest(request, body, header.SignedHeaders), amzDate, header), secret, header);
        var given = Encoding.ASCII.GetBytes(header.Signature);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), given) ? null : StsError.SignatureDoesNotMatch();
    }

    private static string CanonicalRequest(HttpRequest request, byte[] body, IReadOnlyList<string> signedHeaders)
    {
        var builder = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(CanonicalPath(request.PathBase + request.Path)).Append('\n')
            .Append(CanonicalQuery(request.QueryString.Value)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Headers[name].Select(v => WhitespaceRun().Replace((v ?? string.Empty).Trim(), " "));
            builder.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        return builder.Append('\n')
            .Append(string.Join(';', signedHeaders)).Append('\n')
            .Append(Convert.ToHexStringLower(SHA256.HashData(body)))
            .ToString();
    }

    private static string StringToSign(string canonicalRequest, string amzDate, SigV4Header header) =>
        $"{Algorithm}\n{amzDate}\n{header.Date}/{header.Region}/{header.Service}/aws4_request\n" +
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));

    private static string Sign(string stringToSign, string secret, SigV4Header header)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(header.Date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(header.Region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(header.Service));
        key = HMACSHA256.HashData(key, "aws4_request"u8);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));

    private static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return string.Empty;
        }

        var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var name = at < 0 ? pair : pair[..at];
            var value = at < 0 ? string.Empty : pair[(at + 1)..];
            return (Name: Encode(Uri.UnescapeDataString(name)), Value: Encode(Uri.UnescapeDataString(value)));
        });
        return string.Join('&', pairs.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Name + "=" + p.Value));
    }

    // SigV4 encodes every byte except the RFC 3986 unreserved characters, with upper-case hex.
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256\s+Credential=(?<credential>[^,\s]+),\s*SignedHeaders=(?<signed>[a-z0-9;_.-]+),\s*Signature=(?<signature>[0-9a-f]{64})\s*\z", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespaceRun();
}
