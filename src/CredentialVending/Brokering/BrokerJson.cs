using System.Text.Json.Serialization;

namespace CredentialVending.Brokering;

/// <summary>The minted token's header (RFC 7515).</summary>
public sealed record BrokerTokenHeader(
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("typ")] string Typ,
    [property: JsonPropertyName("kid")] string Kid);

/// <summary>The minted token's claims, as docs/api.md "Brokered tenants" lists them.</summary>
public sealed record BrokerTokenClaims(
    [property: JsonPropertyName("iss")] string Iss,
    [property: JsonPropertyName("aud")] string Aud,
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("iat")] long Iat,
    [property: JsonPropertyName("exp")] long Exp,
    [property: JsonPropertyName("jti")] string Jti,
    [property: JsonPropertyName("https://aws.amazon.com/tags")] BrokerTagsClaim Tags,
    [property: JsonPropertyName("https://aws.amazon.com/source_identity")] string? SourceIdentity);

/// <summary>STS's session tags claim: each value a one-element array, no transitive keys.</summary>
public sealed record BrokerTagsClaim(
    [property: JsonPropertyName("principal_tags")] Dictionary<string, string[]> PrincipalTags,
    [property: JsonPropertyName("transitive_tag_keys")] string[] TransitiveTagKeys);

/// <summary>The discovery document STS reads through <c>{issuer}/.well-known/openid-configuration</c>.</summary>
public sealed record OpenIdConfiguration(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] string[] SigningAlgorithms,
    [property: JsonPropertyName("response_types_supported")] string[] ResponseTypes,
    [property: JsonPropertyName("subject_types_supported")] string[] SubjectTypes,
    [property: JsonPropertyName("claims_supported")] string[] Claims);

/// <summary>The signing key's public half (RFC 7517), its <c>kid</c> the RFC 7638 thumbprint.</summary>
public sealed record BrokerJwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg);

public sealed record BrokerJwkSet([property: JsonPropertyName("keys")] BrokerJwk[] Keys);

/// <summary>The brokered mode's JSON, source-generated: no reflection under Native AOT.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BrokerTokenHeader))]
[JsonSerializable(typeof(BrokerTokenClaims))]
[JsonSerializable(typeof(OpenIdConfiguration))]
[JsonSerializable(typeof(BrokerJwkSet))]
public sealed partial class BrokerJsonContext : JsonSerializerContext;
