using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialVending.Local.Oidc;

/// <summary>The wire records of the development issuer and the one way they are written (snake_case, nulls left out).</summary>
internal static class OidcJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

internal sealed record JwksDocument(IReadOnlyList<Jwk> Keys);

internal sealed record DiscoveryDocument(
    string Issuer,
    string JwksUri,
    string TokenEndpoint,
    IReadOnlyList<string> ResponseTypesSupported,
    IReadOnlyList<string> SubjectTypesSupported,
    IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    IReadOnlyList<string> ClaimsSupported);

internal sealed record TokenAnswer(string AccessToken, string TokenType, int ExpiresIn);

internal sealed record OAuthError(string Error, string ErrorDescription);
