using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Tenants;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Identity;

/// <summary>
/// Turns a caller's <c>Authorization</c> header into a <see cref="Caller"/> of a tenant, as API.md's
/// "Authentication of callers" says: a refusal (401 <c>invalid_token</c>, 403 <c>tenant_mismatch</c>) for a bad
/// token, a <see cref="DependencyUnavailableException"/> (503) when the issuer's keys cannot be had. A token is
/// never logged and never put in a message.
/// </summary>
public sealed class TokenAuthenticator
{
    /// <summary>API.md: a token is at most 16 KiB.</summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>API.md: exp and nbf are checked with at most 60 s of clock skew.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>Asymmetric algorithms only: HMAC would let anyone holding the public key sign, and none signs nothing.</summary>
    public static readonly IReadOnlyList<string> AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.RsaSsaPssSha256,
    ];

    /// <summary>An issuer that takes longer than this is as good as down; API Gateway gives the whole request 30 s.</summary>
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);

    // The handler keeps no per-token state: one serves every call.
    private static readonly JsonWebTokenHandler Handler = new();

    private readonly TimeProvider _time;
    private readonly bool _allowInsecureLoopbackIssuers;
    private readonly SigningKeyCache _cache;
    private readonly JwksFetcher _fetcher;

    public TokenAuthenticator(HttpClient http, TimeProvider time, bool allowInsecureLoopbackIssuers)
        : this(http, time, allowInsecureLoopbackIssuers, SigningKeyCache.Shared, FetchTimeout)
    {
    }

    /// <summary>Tests give each case its own cache, so one case's fetches do not count against another's.</summary>
    internal TokenAuthenticator(HttpClient http, TimeProvider time, bool allowInsecureLoopbackIssuers, SigningKeyCache cache, TimeSpan fetchTimeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _allowInsecureLoopbackIssuers = allowInsecureLoopbackIssuers;
        _cache = cache;
        _fetcher = new JwksFetcher(http, allowInsecureLoopbackIssuers, fetchTimeout);
    }

    public async Task<Outcome<Caller>> AuthenticateAsync(string? authorizationHeader, TenantDocument tenant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var identity = tenant.Identity;
        var read = ReadToken(authorizationHeader);
        if (read.IsRefused)
        {
            return read.Refusal!;
        }

        // Checked here as well as on PUT: the flag may have been on when the tenant was stored and off now.
        if (!IssuerUrls.IsAllowed(identity.Issuer, _allowInsecureLoopbackIssuers, out var reason))
        {
            return Invalid($"The tenant's issuer {reason}.");
        }

        var (raw, token) = read.Value;
        // These checks need no key: a token that fails them costs the issuer no fetch.
        if (token.Issuer != identity.Issuer)
        {
            return Invalid("The token's issuer (iss) is not the tenant's issuer.");
        }

        if (string.IsNullOrEmpty(token.Kid))
        {
            return Invalid("The token's header names no signing key (kid).");
        }

        var keys = await _cache.GetAsync(identity.Issuer, token.Kid, _fetcher, _time, ct).ConfigureAwait(false);
        if (!keys.KidKnown)
        {
            // The issuer may well have rotated to this key while its JWKS was down: "cannot tell" is a 503, not a 401.
            return keys.LastFetchFailed
                ? throw new DependencyUnavailableException($"The signing keys of issuer {identity.Issuer} could not be refreshed.", TimeSpan.FromSeconds(5))
                : Invalid("The token is signed with a key (kid) its issuer does not publish.");
        }

        var result = await Handler.ValidateTokenAsync(token, Parameters(identity, keys.Keys)).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Invalid(TokenChecks.Describe(result.Exception));
        }

        return ToCaller(token, raw, tenant);
    }

    /// <summary>
    /// The checks that need neither the tenant nor its issuer: a Bearer header holding a well-formed JWS of an allowed
    /// algorithm, at most 16 KiB. Routes run it before loading the tenant, so a request without a usable token is a
    /// 401 whatever the tenant.
    /// </summary>
    public static Refusal? CheckForm(string? authorizationHeader) => ReadToken(authorizationHeader).Refusal;

    private static Outcome<(string Raw, JsonWebToken Token)> ReadToken(string? authorizationHeader)
    {
        var raw = BearerHeader.Read(authorizationHeader, out var problem);
        if (raw is null)
        {
            return Invalid(problem);
        }

        if (raw.Length > MaxTokenLength)
        {
            return Invalid("The token is larger than 16 KiB.");
        }

        var token = Read(raw);
        return token.IsRefused ? token.Refusal! : (raw, token.Value!);
    }

    private static Outcome<JsonWebToken> Read(string raw)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(raw);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            return Invalid("The token is not a well-formed JWT.");
        }

        if (token.IsEncrypted)
        {
            return Invalid("Encrypted tokens (JWE) are not accepted; send the signed token (JWS).");
        }

        if (!AllowedAlgorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            return Invalid("The token's algorithm is not one of RS256, RS384, RS512, ES256, ES384, PS256.");
        }

        // RFC 7515, section 4.1.11: a recipient that does not understand every "crit" extension must refuse the
        // token; IdentityModel ignores the parameter, and this service understands no extension.
        using (var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedHeader)))
        {
            if (header.RootElement.TryGetProperty("crit", out _))
            {
                return Invalid("The token names critical header extensions (crit) this service does not support.");
            }
        }

        return token;
    }

    private TokenValidationParameters Parameters(IdentitySettings identity, IReadOnlyList<SecurityKey> keys) => new()
    {
        ValidIssuer = identity.Issuer,
        ValidAudiences = identity.Audiences,
        AudienceValidator = (audiences, token, _) => TokenChecks.AudienceMatches(audiences, token, identity.Audiences),
        ValidAlgorithms = AllowedAlgorithms,
        IssuerSigningKeys = keys,
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = ClockSkew,
        // Refusals are answers, not events: nothing about a rejected token goes to IdentityModel's event source.
        LogValidationExceptions = false,
        LifetimeValidator = (notBefore, expires, _, _) => TokenChecks.CheckLifetime(notBefore, expires, _time.GetUtcNow(), ClockSkew),
    };

    private static Outcome<Caller> ToCaller(JsonWebToken token, string raw, TenantDocument tenant)
    {
        ClaimSet claims;
        using (var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload)))
        {
            // A repeated claim could be read one way by IdentityModel and another way here: refuse rather than guess.
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (!payload.RootElement.EnumerateObject().All(p => names.Add(p.Name)))
            {
                return Invalid("The token repeats a claim.");
            }

            claims = ClaimSet.FromJsonObject(payload.RootElement);
        }

        var subject = claims.GetString(tenant.Identity.SubjectClaim);
        if (string.IsNullOrEmpty(subject))
        {
            return Invalid($"The token has no string claim {tenant.Identity.SubjectClaim} to name its subject.");
        }

        if (tenant.Identity.TenantClaim is { } tenantClaim && claims.GetString(tenantClaim) != tenant.TenantId)
        {
            return new Refusal(Codes.TenantMismatch, $"The token's {tenantClaim} claim does not name tenant {tenant.TenantId}.");
        }

        return new Caller(tenant.TenantId, tenant.Identity.Issuer, subject, claims, raw);
    }

    private static Refusal Invalid(string detail) => new(Codes.InvalidToken, detail);
}
