using CredentialVending.Common;
using CredentialVending.Tenants;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Identity;

/// <summary>
/// Turns a caller's <c>Authorization</c> header into a <see cref="Caller"/> of a tenant, as docs/api.md's
/// "Authentication of callers" says: a refusal (401 <c>invalid_token</c>, 403 <c>tenant_mismatch</c>) for a bad
/// token, a <see cref="DependencyUnavailableException"/> (503) when the issuer's keys cannot be had. A token is
/// never logged and never put in a message.
/// </summary>
public sealed class TokenAuthenticator
{
    /// <summary>docs/api.md: exp and nbf are checked with at most 60 s of clock skew.</summary>
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

    /// <summary>Fetches go through <see cref="IssuerHttp"/>'s client, so no issuer can point the function at its own network.</summary>
    public TokenAuthenticator(TimeProvider time, IssuerFetchRules rules)
        : this(IssuerHttp.CreateClient(rules), time, rules?.AllowInsecureLoopback ?? false, SigningKeyCache.Shared, FetchTimeout)
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

    /// <summary>Reads the header (<see cref="BearerToken.Read"/>), then authenticates the token against the tenant.</summary>
    public async Task<Outcome<Caller>> AuthenticateAsync(string? authorizationHeader, TenantDocument tenant, CancellationToken ct)
    {
        var token = BearerToken.Read(authorizationHeader);
        return token.IsRefused ? token.Refusal! : await AuthenticateAsync(token.Value!, tenant, ct).ConfigureAwait(false);
    }

    /// <summary>A token already read (by the route, before it loaded the tenant) against the tenant's identity block.</summary>
    public async Task<Outcome<Caller>> AuthenticateAsync(BearerToken token, TenantDocument tenant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(tenant);
        var identity = tenant.Identity;
        if (identity.Issuer is null)
        {
            // A saml tenant without a bearer issuer: a SAML response is never an operator credential, since only STS can verify its signature.
            return Invalid("This saml tenant has no bearer issuer (identity.issuer and audiences): its operator routes take no token; use the admin routes.");
        }

        // Checked here as well as on PUT: the flag may have been on when the tenant was stored and off now.
        if (!IssuerUrls.IsAllowed(identity.Issuer, _allowInsecureLoopbackIssuers, out var reason))
        {
            return Invalid($"The tenant's issuer {reason}.");
        }

        // These checks need no key: a token that fails them costs the issuer no fetch.
        if (token.Issuer != identity.Issuer)
        {
            return Invalid("The token's issuer (iss) is not the tenant's issuer.");
        }

        if (!TokenChecks.AudienceMatches(token, identity.Audiences))
        {
            return Invalid("The token's audience (aud, or client_id) is not one of the tenant's audiences.");
        }

        if (TokenChecks.LifetimeProblem(token, _time.GetUtcNow(), ClockSkew) is { } lifetime)
        {
            return Invalid(lifetime);
        }

        var keys = await _cache.GetAsync(identity.Issuer, token.KeyId, _fetcher, _time, ct).ConfigureAwait(false);
        if (!keys.KidKnown)
        {
            // The issuer may well have rotated to this key while its JWKS was down: "cannot tell" is a 503, not a 401.
            return keys.LastFetchFailed
                ? throw new DependencyUnavailableException($"The signing keys of issuer {identity.Issuer} could not be refreshed.", TimeSpan.FromSeconds(5))
                : Invalid("The token is signed with a key (kid) its issuer does not publish.");
        }

        var result = await Handler.ValidateTokenAsync(token.Jwt, SignatureOnly(token, keys.Keys)).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Invalid(TokenChecks.Describe(result.Exception));
        }

        return ToCaller(token, tenant, identity.Issuer);
    }

    /// <summary>
    /// IdentityModel verifies the signature over the raw bytes, with the key and the algorithm this service read from
    /// the header; what the token says (iss, aud, exp, nbf) was decided by <see cref="BearerToken"/>'s one reading.
    /// </summary>
    private static TokenValidationParameters SignatureOnly(BearerToken token, IReadOnlyList<SecurityKey> keys) => new()
    {
        ValidAlgorithms = [token.Algorithm],
        IssuerSigningKeys = keys.Where(k => string.Equals(k.KeyId, token.KeyId, StringComparison.Ordinal)).ToList(),
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = false,
        RequireExpirationTime = false,
        // Refusals are answers, not events: nothing about a rejected token goes to IdentityModel's event source.
        LogValidationExceptions = false,
    };

    private static Outcome<Caller> ToCaller(BearerToken token, TenantDocument tenant, string issuer)
    {
        var claims = token.Claims;
        var subject = claims.GetString(tenant.Identity.SubjectClaim);
        if (string.IsNullOrEmpty(subject))
        {
            return Invalid($"The token has no string claim {tenant.Identity.SubjectClaim} to name its subject.");
        }

        if (tenant.Identity.TenantClaim is { } tenantClaim && claims.GetString(tenantClaim) != tenant.TenantId)
        {
            return new Refusal(Codes.TenantMismatch, $"The token's {tenantClaim} claim does not name tenant {tenant.TenantId}.");
        }

        return new Caller(tenant.TenantId, issuer, subject, claims, token.Raw);
    }

    private static Refusal Invalid(string detail) => new(Codes.InvalidToken, detail);
}
