using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CredentialVending.Local.Oidc;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>A second development issuer, for tokens signed by a key the tenant's issuer never published.</summary>
public sealed class SecondIssuer : IAsyncLifetime
{
    public DevelopmentIssuer Issuer { get; private set; } = null!;

    public async Task InitializeAsync() => Issuer = await DevelopmentIssuer.StartAsync();

    public async Task DisposeAsync() => await Issuer.DisposeAsync();
}

/// <summary>SECURITY.md's hostile tokens, made for a tenant of the local cloud's issuer.</summary>
public static class HostileTokens
{
    public const string Audience = "credvend-local";

    public static readonly string[] Unauthenticated =
    [
        "alg none", "alg none with a signature", "HS256 keyed with the issuer's public key", "expired", "nbf in the future",
        "wrong issuer", "wrong audience", "no audience", "unknown kid", "no kid", "another issuer's key", "tampered payload",
        "tampered header", "another token's signature", "over 16 KiB", "not a JWT", "a JWE", "duplicated subject claim",
        "duplicated tenant claim", "tenant claim repeated under an escaped name", "repeated header parameter",
        "lone surrogate as a claim name", "lone surrogate in a claim value", "nested 40 deep", "number past a double",
        "exp as a string", "nbf as a string", "empty aud with our client_id", "empty aud array with our client_id",
        "payload with a byte order mark",
    ];

    /// <summary>The token a case names, for <paramref name="tenant"/> of <paramref name="issuer"/>.</summary>
    public static string Make(string name, DevelopmentIssuer issuer, DevelopmentIssuer other, string tenant)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(other);
        var kid = issuer.KeyIdFor("RS256");
        var iss = issuer.Issuer;
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object> { ["tenant"] = tenant, ["groups"] = Array.Empty<string>() };
        return name switch
        {
            "alg none" => issuer.SignRaw(Header("none", kid), Payload(iss, tenant), DevelopmentSigningKey.Unsigned),
            "alg none with a signature" => issuer.SignRaw(Header("none", kid), Payload(iss, tenant)),
            "HS256 keyed with the issuer's public key" => issuer.SignRaw(Header("HS256", kid), Payload(iss, tenant), DevelopmentSigningKey.HmacWithRsaPublicKeyPem),
            "expired" => issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = claims, IssuedAt = now.AddHours(-2), Lifetime = TimeSpan.FromMinutes(30) }),
            "nbf in the future" => issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = claims, NotBefore = now.AddMinutes(10) }),
            "wrong issuer" => issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = claims, Issuer = "https://issuer.example" }),
            "wrong audience" => issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = claims, Audiences = ["someone-else"] }),
            "no audience" => issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = claims, Audiences = [] }),
            "unknown kid" => issuer.SignRaw(Header("RS256", "kid-nobody-published"), Payload(iss, tenant)),
            "no kid" => issuer.SignRaw("""{"alg":"RS256","typ":"JWT"}""", Payload(iss, tenant)),
            "another issuer's key" => other.IssueToken(new TokenRequest { Subject = "alice", Claims = claims, Issuer = iss }),
            "tampered payload" => Tampered(issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = claims }), 1, p => p.Replace("\"groups\":[]", "\"groups\":[\"editors\",\"admins\"]", StringComparison.Ordinal)),
            "tampered header" => Tampered(issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = claims }), 0, h => h.Replace("RS256", "RS384", StringComparison.Ordinal)),
            "another token's signature" => Spliced(issuer.IssueToken(new TokenRequest { Subject = "bob", Claims = claims }), issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = claims })),
            "over 16 KiB" => issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = new Dictionary<string, object>(claims) { ["padding"] = new string('x', 16 * 1024) } }),
            "not a JWT" => "this-is-not-a-jwt-but-it-is-long-enough-to-look-like-one",
            "a JWE" => string.Join('.', B64("""{"alg":"RSA-OAEP","enc":"A256GCM","kid":"k1"}"""), B64("encrypted-key-bytes"), B64("iv-iv-iv-iv"), B64("ciphertext of the claims"), B64("tag-tag-tag-tag")),
            "duplicated subject claim" => issuer.SignRaw(Header("RS256", kid), Payload(iss, tenant, extra: ",\"sub\":\"admin\"")),
            "duplicated tenant claim" => issuer.SignRaw(Header("RS256", kid), Payload(iss, "another-tenant", extra: $",\"tenant\":\"{tenant}\"")),
            "tenant claim repeated under an escaped name" => issuer.SignRaw(Header("RS256", kid), Payload(iss, "another-tenant", extra: $",\"tena\\u006et\":\"{tenant}\"")),
            "repeated header parameter" => issuer.SignRaw($$"""{"alg":"RS256","kid":"{{kid}}","alg":"none"}""", Payload(iss, tenant)),
            "lone surrogate as a claim name" => issuer.SignRaw(Header("RS256", kid), Payload(iss, tenant, extra: ",\"\\udc00\":1")),
            "lone surrogate in a claim value" => issuer.SignRaw(Header("RS256", kid), Payload(iss, tenant, extra: ",\"groups2\":[\"\\ud800\"]")),
            "nested 40 deep" => issuer.SignRaw(Header("RS256", kid), Payload(iss, tenant, extra: ",\"deep\":" + new string('[', 40) + new string(']', 40))),
            "number past a double" => issuer.SignRaw(Header("RS256", kid), Payload(iss, tenant, extra: ",\"n\":1e400")),
            "exp as a string" => issuer.SignRaw(Header("RS256", kid), $$"""{"iss":"{{iss}}","sub":"alice","aud":"{{Audience}}","tenant":"{{tenant}}","exp":"{{Soon()}}"}"""),
            "nbf as a string" => issuer.SignRaw(Header("RS256", kid), $$"""{"iss":"{{iss}}","sub":"alice","aud":"{{Audience}}","tenant":"{{tenant}}","nbf":"{{Soon()}}","exp":{{Soon()}}}"""),
            "empty aud with our client_id" => issuer.SignRaw(Header("RS256", kid), Payload(iss, tenant, audience: "\"\"", extra: $",\"client_id\":\"{Audience}\"")),
            "empty aud array with our client_id" => issuer.SignRaw(Header("RS256", kid), Payload(iss, tenant, audience: "[]", extra: $",\"client_id\":\"{Audience}\"")),
            "payload with a byte order mark" => issuer.SignRaw(Header("RS256", kid), "\uFEFF" + Payload(iss, tenant)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such hostile token"),
        };
    }

    private static string Soon() => (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600).ToString(CultureInfo.InvariantCulture);

    private static string Header(string alg, string kid) => $$"""{"alg":"{{alg}}","kid":"{{kid}}","typ":"JWT"}""";

    /// <summary>A hand-signed token of the tenant's issuer whose payload ends with <paramref name="extra"/> (JSON members, comma first).</summary>
    public static string Signed(DevelopmentIssuer issuer, string tenant, string extra)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.SignRaw(Header("RS256", issuer.KeyIdFor("RS256")), Payload(issuer.Issuer, tenant, extra: extra));
    }

    private static string Payload(string iss, string tenant, string subject = "alice", string extra = "", string? audience = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var exp = (now + 600).ToString(CultureInfo.InvariantCulture);
        var aud = audience ?? $"\"{Audience}\"";
        return $$"""{"iss":"{{iss}}","sub":"{{subject}}","aud":{{aud}},"tenant":"{{tenant}}","groups":[],"iat":{{now}},"nbf":{{now}},"exp":{{exp}}{{extra}}}""";
    }

    /// <summary>One segment decoded, changed and encoded again; the other segments, signature included, as they were.</summary>
    private static string Tampered(string token, int segment, Func<string, string> change)
    {
        var parts = token.Split('.');
        var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[segment]));
        var changed = change(text);
        Assert.NotEqual(text, changed);
        parts[segment] = B64(changed);
        return string.Join('.', parts);
    }

    private static string Spliced(string signed, string content)
    {
        var parts = content.Split('.');
        return $"{parts[0]}.{parts[1]}.{signed.Split('.')[2]}";
    }

    private static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
