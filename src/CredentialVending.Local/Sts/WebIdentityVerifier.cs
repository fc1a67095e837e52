using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Local.Sts;

/// <summary>Who a verified web identity token names.</summary>
internal sealed record WebIdentity(string Issuer, string Subject, string Audience, string? SourceIdentity)
{
    /// <summary>The session tags of the token's <c>https://aws.amazon.com/tags</c> claim.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];

    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];
}

/// <summary>
/// Verifies web identity tokens as STS does for an OIDC provider: a key from the issuer's JWKS (found through its
/// discovery document, cached, fetched again once on an unknown key), the provider known to the account, the audience
/// in the provider's client list, and a trust that opens the role (and whose <c>sub</c> condition, if any, the token meets).
/// </summary>
internal sealed class WebIdentityVerifier(StsEmulatorOptions options) : IDisposable
{
    private const string SourceIdentityClaim = "https://aws.amazon.com/source_identity";
    private const string NoKey = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";
    private static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly ConcurrentDictionary<string, IList<SecurityKey>> _keys = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler _handler = new();
    private ImmutableList<WebIdentityTrust> _trusts = [.. options.WebIdentityTrusts];

    /// <summary>Adds a trust while the emulator runs, as onboarding a tenant writes its role's trust policy.</summary>
    public void Add(WebIdentityTrust trust) => ImmutableInterlocked.Update(ref _trusts, t => t.Add(trust));

    public async Task<(WebIdentity? Identity, StsError? Error)> VerifyAsync(string token, string roleArn, CancellationToken ct)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return (null, StsError.InvalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"));
        }

        var issuer = jwt.TryGetPayloadValue<string>("iss", out var iss) ? iss : string.Empty;
        var trusts = _trusts.Where(t => t.Issuer.TrimEnd('/') == issuer.TrimEnd('/')).ToList();
        if (trusts.Count == 0)
        {
            return (null, StsError.InvalidIdentityToken($"No OpenIDConnect provider found in your account for {issuer}"));
        }

        var failure = await ValidateAsync(token, issuer, refresh: !_keys.ContainsKey(issuer), ct).ConfigureAwait(false);
        if (failure is SecurityTokenSignatureKeyNotFoundException)
        {
            failure = await ValidateAsync(token, issuer, refresh: true, ct).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            return (null, Refusal(failure, jwt));
        }

        var audiences = jwt.Audiences.ToList();
        if (!trusts.Any(t => audiences.Contains(t.Audience, StringComparer.Ordinal)))
        {
            return (null, StsError.InvalidIdentityToken("Incorrect token audience"));
        }

        if (!jwt.TryGetPayloadValue<string>("sub", out var subject) || string.IsNullOrEmpty(subject))
        {
            return (null, StsError.InvalidIdentityToken("The web identity token has no subject (sub) claim."));
        }

        var trust = trusts.FirstOrDefault(t => audiences.Contains(t.Audience, StringComparer.Ordinal) && (t.RoleArn is null || t.RoleArn == roleArn) && t.Admits(subject));
        if (trust is null)
        {
            return (null, StsError.AccessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity"));
        }

        var (tags, transitive, badTags) = WebIdentityTags.Read(jwt);
        if (badTags is not null)
        {
            return (null, badTags);
        }

        var sourceIdentity = jwt.TryGetPayloadValue<string>(SourceIdentityClaim, out var source) ? source : null;
        return (new WebIdentity(issuer, subject, trust.Audience, sourceIdentity) { Tags = tags, TransitiveTagKeys = transitive }, null);
    }

    public void Dispose() => _http.Dispose();

    private static StsError Refusal(Exception failure, JsonWebToken jwt) => failure switch
    {
        SecurityTokenExpiredException => StsError.ExpiredTokenException(string.Create(CultureInfo.InvariantCulture,
            $"Token expired: current date/time {DateTimeOffset.UtcNow.ToUnixTimeSeconds()} must be before the expiration date/time {new DateTimeOffset(jwt.ValidTo).ToUnixTimeSeconds()}")),
        HttpRequestException or TaskCanceledException => StsError.IdpCommunicationError(
            "The request could not be fulfilled because the identity provider could not be reached."),
        SecurityTokenSignatureKeyNotFoundException or JsonException or InvalidOperationException => StsError.InvalidIdentityToken(NoKey),
        SecurityTokenNoExpirationException => StsError.InvalidIdentityToken("The web identity token has no expiration (exp) claim."),
        SecurityTokenNotYetValidException => StsError.InvalidIdentityToken("The web identity token is not yet valid (nbf)."),
        _ => StsError.InvalidIdentityToken("The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request."),
    };

    /// <summary>Null when the token verifies; else the reason.</summary>
    private async Task<Exception?> ValidateAsync(string token, string issuer, bool refresh, CancellationToken ct)
    {
        if (refresh)
        {
            try
            {
                _keys[issuer] = await FetchKeysAsync(issuer, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or ArgumentException)
            {
                ct.ThrowIfCancellationRequested();

                // A JWKS that does not parse is the issuer's fault, like a missing key, not a bad token.
                return e is ArgumentException ? new InvalidOperationException(e.Message, e) : e;
            }
        }

        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidateAudience = false,
            IssuerSigningKeys = _keys.TryGetValue(issuer, out var keys) ? keys : [],
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(60),
        }).ConfigureAwait(false);
        return result.IsValid ? null : result.Exception ?? new SecurityTokenValidationException("invalid");
    }

    private async Task<IList<SecurityKey>> FetchKeysAsync(string issuer, CancellationToken ct)
    {
        using var discovery = JsonDocument.Parse(await GetAsync(issuer.TrimEnd('/') + "/.well-known/openid-configuration", ct).ConfigureAwait(false));
        var jwksUri = discovery.RootElement.TryGetProperty("jwks_uri", out var uri) && uri.ValueKind == JsonValueKind.String
            ? uri.GetString()!
            : throw new InvalidOperationException("The discovery document names no jwks_uri.");
        return new JsonWebKeySet(await GetAsync(jwksUri, ct).ConfigureAwait(false)).GetSigningKeys();
    }

    private async Task<string> GetAsync(string url, CancellationToken ct)
    {
        using var response = await _http.GetAsync(new Uri(url), ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
    }
}
