using System.Text.Json;

namespace CredentialVending.Tenants;

/// <summary>
/// What the one-trust rules compare between tenants: the role, the issuer, its audiences, and whether a claim names the
/// tenant. Read straight from a stored document's JSON, so a document an older rule let through still counts.
/// </summary>
internal sealed record TrustFacts(string? RoleKey, string? Issuer, IReadOnlyList<string> Audiences, bool HasTenantClaim)
{
    public static TrustFacts Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var issuance = Member(root, "issuance");
        var identity = Member(root, "identity");
        var audiences = Member(identity, "audiences") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToArray()
            : [];
        return new TrustFacts(
            TenantTrust.RoleKey(Text(issuance, "roleArn")),
            Text(identity, "issuer"),
            audiences,
            Text(identity, "tenantClaim") is not null);
    }

    /// <summary>An audience both take tokens for from the same issuer (a trailing '/' aside); null when none.</summary>
    public string? SharesTokensWith(TrustFacts other) =>
        Issuer is not null && other.Issuer is not null && Issuer.TrimEnd('/') == other.Issuer.TrimEnd('/')
            ? Audiences.FirstOrDefault(a => other.Audiences.Contains(a, StringComparer.Ordinal))
            : null;

    private static JsonElement? Member(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement? parent, string name) =>
        Member(parent, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
