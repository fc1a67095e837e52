using CredentialVending.Common;
using CredentialVending.Identity;

namespace CredentialVending.Brokering;

/// <summary>
/// The brokered mode's configuration (docs/api.md, "Brokered tenants"): the KMS key that signs the minted tokens, the
/// issuer they name (the API's own base URL, which serves the discovery and JWKS routes) and their audience.
/// </summary>
public sealed record BrokerSettings(string KeyId, string Issuer, string Audience)
{
    public const string DefaultAudience = "credential-vending";

    /// <summary>Where the JWKS is served, beside the discovery document: STS finds it through <c>jwks_uri</c>.</summary>
    public string JwksUri => Issuer + "/.well-known/jwks.json";

    /// <summary>
    /// <c>BROKER_KMS_KEY_ID</c>, <c>BROKER_ISSUER</c> and <c>BROKER_AUDIENCE</c>: null (no refusal) when the first two are
    /// unset, since a deployment without brokered tenants need not have a key; a refusal naming the variable when one is
    /// set without the other or holds a value STS could not use.
    /// </summary>
    public static Outcome<BrokerSettings?> FromVariables(Func<string, string?> read, bool allowInsecureLoopbackIssuers)
    {
        ArgumentNullException.ThrowIfNull(read);
        var keyId = Trimmed(read("BROKER_KMS_KEY_ID"));
        var issuer = Trimmed(read("BROKER_ISSUER"));
        var audience = Trimmed(read("BROKER_AUDIENCE"));
        if (keyId is null && issuer is null)
        {
            return audience is null
                ? (BrokerSettings?)null
                : Refusal.InvalidRequest("BROKER_AUDIENCE is set without BROKER_KMS_KEY_ID and BROKER_ISSUER.");
        }

        if (keyId is null || issuer is null)
        {
            return Refusal.InvalidRequest($"{(keyId is null ? "BROKER_KMS_KEY_ID" : "BROKER_ISSUER")} is unset while {(keyId is null ? "BROKER_ISSUER" : "BROKER_KMS_KEY_ID")} is set: the brokered mode needs both.");
        }

        if (!IssuerUrls.IsAllowed(issuer, allowInsecureLoopbackIssuers, out var reason))
        {
            return Refusal.InvalidRequest($"BROKER_ISSUER '{issuer}' {reason}.");
        }

        // STS compares the token's iss with the provider's URL as written, and appends the well-known paths to it.
        var url = new Uri(issuer);
        if (!string.IsNullOrEmpty(url.Query) || issuer.EndsWith('/'))
        {
            return Refusal.InvalidRequest($"BROKER_ISSUER '{issuer}' must carry no query and no trailing slash.");
        }

        return new BrokerSettings(keyId, issuer, audience ?? DefaultAudience);
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
