using System.Net;
using Microsoft.AspNetCore.Routing;

namespace CredentialVending.Local.Oidc;

/// <summary>The development issuer's HTTP face: discovery, the JWKS and the loopback-only token endpoint.</summary>
public sealed partial class DevelopmentIssuer
{
    private static readonly string[] ResponseTypes = ["id_token", "token"];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] ClaimNames = ["iss", "sub", "aud", "exp", "nbf", "iat"];

    /// <summary>Maps <c>/.well-known/openid-configuration</c>, <c>/.well-known/jwks.json</c> and <c>GET /_local/token</c> under the issuer's path
    /// (and <c>GET /_local/token</c> at the root as well).</summary>
    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(_pathPrefix + "/.well-known/openid-configuration", Discovery);
        endpoints.MapGet(_pathPrefix + "/.well-known/jwks.json", Jwks);
        endpoints.MapGet(_pathPrefix + "/_local/token", Token);

        // The token shortcut stays at the host's root too, where the README and the ready screen send developers,
        // when the issuer lives under a path (the local cloud's root is the brokered mode's issuer).
        if (_pathPrefix.Length > 0)
        {
            endpoints.MapGet("/_local/token", Token);
        }
    }

    private IResult Discovery()
    {
        Interlocked.Increment(ref _discoveryFetchCount);
        if (_jwksDown)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var document = new DiscoveryDocument(
            Issuer,
            Issuer + "/.well-known/jwks.json",
            Issuer + "/_local/token",
            ResponseTypes,
            SubjectTypes,
            DevelopmentKeySet.Algorithms,
            [.. ClaimNames, _options.TenantClaim, _options.GroupsClaim]);
        return Results.Json(document, OidcJson.Options);
    }

    private IResult Jwks(HttpContext context)
    {
        Interlocked.Increment(ref _jwksFetchCount);
        if (_jwksDown)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        // Real issuers let validators cache the key set; a short max-age keeps rotation tests honest.
        context.Response.Headers.CacheControl = "public, max-age=60";
        return Results.Json(new JwksDocument([.. _keys.PublicJwks()]), OidcJson.Options, contentType: "application/jwk-set+json");
    }

    // GET /_local/token?tenant=T&sub=S&groups=a,b[&aud=X][&alg=ES256]: a shortcut around a login page, so loopback only.
    private IResult Token(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return Results.Json(new OAuthError("access_denied", "The development issuer hands out tokens to loopback callers only."), OidcJson.Options, statusCode: 403);
        }

        var query = context.Request.Query;
        var subject = query["sub"].ToString();
        var algorithm = query.TryGetValue("alg", out var alg) ? alg.ToString() : "RS256";
        if (subject.Length == 0 || !DevelopmentKeySet.Algorithms.Contains(algorithm))
        {
            return Results.Json(new OAuthError("invalid_request", "sub is required; alg, when given, must be one the development issuer signs with."), OidcJson.Options, statusCode: 400);
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [_options.GroupsClaim] = Split(query["groups"].ToString()),
        };
        if (query.TryGetValue("tenant", out var tenant) && tenant.ToString().Length > 0)
        {
            claims[_options.TenantClaim] = tenant.ToString();
        }

        var audiences = Split(query["aud"].ToString());
        var token = IssueToken(new TokenRequest
        {
            Subject = subject,
            Audiences = audiences.Length > 0 ? audiences : [_options.DefaultAudience],
            Claims = claims,
            Algorithm = algorithm,
            Lifetime = _options.TokenLifetime,
        });
        return Results.Json(new TokenAnswer(token, "Bearer", (int)_options.TokenLifetime.TotalSeconds), OidcJson.Options);
    }

    private static string[] Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
