using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Identity;

/// <summary>The claim checks of docs/api.md's "Authentication of callers", on <see cref="BearerToken"/>'s one reading, and the words for IdentityModel's failures.</summary>
internal static class TokenChecks
{
    /// <summary>
    /// <c>aud</c> among the tenant's audiences; a token with no <c>aud</c> at all (a Cognito access token) is
    /// matched on its <c>client_id</c> instead. A token that has an <c>aud</c>, even <c>""</c> or <c>[]</c>, is never
    /// matched on <c>client_id</c>: it was minted for that audience (or for none), not for us.
    /// </summary>
    public static bool AudienceMatches(BearerToken token, IReadOnlyList<string> valid)
    {
        if (token.Audiences is { } audiences)
        {
            return audiences.Any(a => a.Length > 0 && valid.Contains(a, StringComparer.Ordinal));
        }

        return token.Claims.GetString("client_id") is { Length: > 0 } clientId && valid.Contains(clientId, StringComparer.Ordinal);
    }

    /// <summary>
    /// exp and nbf with the allowed skew, on the authenticator's <see cref="TimeProvider"/> (IdentityModel's own check
    /// reads the system clock: its TimeProvider hook is internal). Null when the lifetime is good.
    /// </summary>
    public static string? LifetimeProblem(BearerToken token, DateTimeOffset now, TimeSpan clockSkew)
    {
        if (token.NotBefore > token.Expires)
        {
            return "The token's lifetime (nbf, exp) is invalid.";
        }

        if (token.NotBefore > now + clockSkew)
        {
            return "The token is not valid yet (nbf).";
        }

        return token.Expires < now - clockSkew ? "The token has expired." : null;
    }

    /// <summary>Fixed words for each signature failure: IdentityModel's own messages may quote parts of the token.</summary>
    public static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenInvalidAlgorithmException => "The token's algorithm is not one of RS256, RS384, RS512, ES256, ES384, PS256.",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with a key (kid) its issuer does not publish.",
        SecurityTokenInvalidSignatureException => "The token's signature does not verify.",
        SecurityTokenMalformedException => "The token is not a well-formed JWT.",
        _ => "The token is not valid.",
    };
}
