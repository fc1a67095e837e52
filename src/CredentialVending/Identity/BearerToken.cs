using System.Buffers.Text;
using System.Text.Json;
using CredentialVending.Common;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Identity;

/// <summary>
/// A caller's JWT, read once per request: the header and payload as <see cref="TokenJson"/> reads them, which is what
/// every later check acts on. IdentityModel's own reading (<see cref="Jwt"/>) is used only to verify the signature over
/// the raw bytes, with the key and algorithm chosen from this reading. <see cref="Raw"/> is never logged.
/// </summary>
public sealed class BearerToken
{
    /// <summary>docs/api.md: a token is at most 16 KiB.</summary>
    public const int MaxLength = 16 * 1024;

    // The largest NumericDate a DateTimeOffset holds (9999-12-31T23:59:59Z).
    private const double MaxNumericDate = 253402300799;

    private BearerToken(string raw, JsonWebToken jwt, string algorithm, string keyId, string issuer, IReadOnlyList<string>? audiences, DateTimeOffset expires, DateTimeOffset? notBefore, DateTimeOffset? issuedAt, ClaimSet claims)
    {
        Raw = raw;
        Jwt = jwt;
        Algorithm = algorithm;
        KeyId = keyId;
        Issuer = issuer;
        Audiences = audiences;
        Expires = expires;
        NotBefore = notBefore;
        IssuedAt = issuedAt;
        Claims = claims;
    }

    public string Raw { get; }
    public string Algorithm { get; }
    public string KeyId { get; }
    public string Issuer { get; }

    /// <summary>The <c>aud</c> claim as a list; null when the token has none (an empty <c>aud</c> is an empty list, not null).</summary>
    public IReadOnlyList<string>? Audiences { get; }

    public DateTimeOffset Expires { get; }
    public DateTimeOffset? NotBefore { get; }
    public DateTimeOffset? IssuedAt { get; }
    public ClaimSet Claims { get; }

    internal JsonWebToken Jwt { get; }

    public override string ToString() => $"BearerToken {{ Issuer = {Issuer}, Algorithm = {Algorithm} }}";

    /// <summary>
    /// The token of an <c>Authorization</c> header, or a 401 <c>invalid_token</c>. Needs neither the tenant nor its
    /// issuer, so routes run it before they read the tenant.
    /// </summary>
    public static Outcome<BearerToken> Read(string? authorizationHeader)
    {
        var raw = BearerHeader.Read(authorizationHeader, out var problem);
        if (raw is null)
        {
            return Invalid(problem);
        }

        if (raw.Length > MaxLength)
        {
            return Invalid("The token is larger than 16 KiB.");
        }

        var parts = raw.Split('.');
        if (parts.Length == 5)
        {
            return Invalid("Encrypted tokens (JWE) are not accepted; send the signed token (JWS).");
        }

        if (parts.Length != 3 || !TryDecode(parts[0], out var headerBytes) || !TryDecode(parts[1], out var payloadBytes))
        {
            return Invalid("The token is not a well-formed JWT.");
        }

        using var header = TokenJson.ParseObject(headerBytes, out var headerProblem);
        if (header is null)
        {
            return Invalid($"The token's header {headerProblem}.");
        }

        using var payload = TokenJson.ParseObject(payloadBytes, out var payloadProblem);
        if (payload is null)
        {
            return Invalid($"The token's payload {payloadProblem}.");
        }

        return Read(raw, header.RootElement, payload.RootElement);
    }

    private static Outcome<BearerToken> Read(string raw, JsonElement header, JsonElement payload)
    {
        if (String(header, "alg") is not { } alg || !TokenAuthenticator.AllowedAlgorithms.Contains(alg, StringComparer.Ordinal))
        {
            return Invalid("The token's algorithm is not one of RS256, RS384, RS512, ES256, ES384, PS256.");
        }

        // RFC 7515, section 4.1.11: a recipient that does not understand every "crit" extension must refuse the
        // token; IdentityModel ignores the parameter, and this service understands no extension.
        if (header.TryGetProperty("crit", out _))
        {
            return Invalid("The token names critical header extensions (crit) this service does not support.");
        }

        if (String(header, "kid") is not { Length: > 0 } kid)
        {
            return Invalid("The token's header names no signing key (kid).");
        }

        if (String(payload, "iss") is not { } iss)
        {
            return Invalid("The token has no string issuer (iss).");
        }

        if (!TryReadAudiences(payload, out var audiences))
        {
            return Invalid("The token's audience (aud) is neither a string nor an array of strings.");
        }

        if (!TryReadDate(payload, "exp", out var exp) || !TryReadDate(payload, "nbf", out var nbf) || !TryReadDate(payload, "iat", out var iat))
        {
            return Invalid("The token's exp, nbf and iat must be JSON numbers of seconds since 1970 (RFC 7519 NumericDate).");
        }

        if (exp is null)
        {
            return Invalid("The token has no expiry (exp).");
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(raw);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException or FormatException or InvalidOperationException)
        {
            return Invalid("The token is not a well-formed JWT.");
        }

        return new BearerToken(raw, jwt, alg, kid, iss, audiences, exp.Value, nbf, iat, ClaimSet.FromJsonObject(payload));
    }

    /// <summary>Base64url without padding (RFC 7515, section 2), strictly: any other character refuses the token.</summary>
    private static bool TryDecode(string segment, out byte[] bytes)
    {
        bytes = [];
        if (segment.Length == 0 || segment.Length % 4 == 1 || !segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        try
        {
            bytes = Base64Url.DecodeFromChars(segment);
            return true;
        }
        catch (FormatException)
        {
            // Trailing bits that are not zero ("e31"): two spellings of one payload, refused like any other junk.
            return false;
        }
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryReadAudiences(JsonElement payload, out IReadOnlyList<string>? audiences)
    {
        audiences = null;
        if (!payload.TryGetProperty("aud", out var aud))
        {
            return true;
        }

        if (aud.ValueKind == JsonValueKind.String)
        {
            audiences = [aud.GetString()!];
            return true;
        }

        if (aud.ValueKind != JsonValueKind.Array || aud.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
        {
            return false;
        }

        audiences = [.. aud.EnumerateArray().Select(a => a.GetString()!)];
        return true;
    }

    /// <summary>A NumericDate is a JSON number (RFC 7519, section 2): a string "exp" is refused, never coerced.</summary>
    private static bool TryReadDate(JsonElement payload, string name, out DateTimeOffset? date)
    {
        date = null;
        if (!payload.TryGetProperty(name, out var value))
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || seconds is < 0 or > MaxNumericDate)
        {
            return false;
        }

        date = DateTimeOffset.UnixEpoch.AddSeconds(Math.Floor(seconds));
        return true;
    }

    private static Refusal Invalid(string detail) => new(Codes.InvalidToken, detail);
}
