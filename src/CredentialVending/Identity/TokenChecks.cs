using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Identity;

/// <summary>The checks <see cref="TokenAuthenticator"/> hands IdentityModel as delegates, and the words for its failures.</summary>
internal static class TokenChecks
{
    /// <summary>
    /// <c>aud</c> among the tenant's audiences; a token with no <c>aud</c> at all (a Cognito access token) is
    /// matched on its <c>client_id</c> instead. A token that has an <c>aud</c> is never matched on <c>client_id</c>:
    /// it was minted for that audience, not for us.
    /// </summary>
    public static bool AudienceMatches(IEnumerable<string> audiences, SecurityToken token, IReadOnlyList<string> valid)
    {
        var named = audiences.Where(a => !string.IsNullOrEmpty(a)).ToList();
        if (named.Count > 0)
        {
            return named.Any(a => valid.Contains(a, StringComparer.Ordinal));
        }

        return token is JsonWebToken jwt
            && jwt.TryGetPayloadValue<string>("client_id", out var clientId)
            && valid.Contains(clientId, StringComparer.Ordinal);
    }

    /// <summary>
    /// IdentityModel's own check reads the system clock (its TimeProvider hook is internal); this one is the same
    /// rule on the authenticator's <see cref="TimeProvider"/>. It throws IdentityModel's exceptions so the failure keeps its kind.
    /// </summary>
    public static bool CheckLifetime(DateTime? notBefore, DateTime? expires, DateTimeOffset utcNow, TimeSpan clockSkew)
    {
        var now = utcNow.UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore > expires)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's nbf is after its exp.");
        }

        if (notBefore > now + clockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.");
        }

        if (expires < now - clockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.");
        }

        return true;
    }

    /// <summary>Fixed words for each failure: IdentityModel's own messages may quote parts of the token.</summary>
    public static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet (nbf).",
        SecurityTokenNoExpirationException => "The token has no expiry (exp).",
        SecurityTokenInvalidLifetimeException => "The token's lifetime (nbf, exp) is invalid.",
        SecurityTokenInvalidIssuerException => "The token's issuer (iss) is not the tenant's issuer.",
        SecurityTokenInvalidAudienceException => "The token's audience (aud, or client_id) is not one of the tenant's audiences.",
        SecurityTokenInvalidAlgorithmException => "The token's algorithm is not one of RS256, RS384, RS512, ES256, ES384, PS256.",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with a key (kid) its issuer does not publish.",
        SecurityTokenInvalidSignatureException => "The token's signature does not verify.",
        SecurityTokenMalformedException => "The token is not a well-formed JWT.",
        _ => "The token is not valid.",
    };
}
