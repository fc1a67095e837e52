using System.Text.Json;
using CredentialVending.Common;

namespace CredentialVending.Identity;

/// <summary>
/// The token's <c>https://aws.amazon.com/tags</c> claim, which STS turns into the session's principal tags in
/// webIdentity mode. docs/api.md "Rules": before the token goes to STS, its <c>principal_tags.tenant</c> must be exactly
/// <c>[tenantId]</c>, so that <c>${aws:PrincipalTag/tenant}</c> names the tenant whose route issued the session.
/// </summary>
public static class PrincipalTagsClaim
{
    public const string Name = "https://aws.amazon.com/tags";

    /// <summary>The tag that ties a session to its tenant.</summary>
    public const string TenantTag = "tenant";

    /// <summary>
    /// Null when the claim is absent or keeps the session in <paramref name="tenantId"/>; else 401 <c>invalid_token</c>
    /// for a claim STS could not read as tags, or 403 <c>tenant_mismatch</c> for one that names another tenant.
    /// </summary>
    public static Refusal? Check(ClaimSet claims, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (!claims.TryGet(Name, out var tags))
        {
            // No claim, no tenant tag: a statement tied by ${aws:PrincipalTag/tenant} then matches nothing (fails closed).
            return null;
        }

        if (tags.ValueKind != JsonValueKind.Object)
        {
            return Malformed("is not a JSON object");
        }

        if (tags.TryGetProperty("transitive_tag_keys", out var transitive) && !IsStringArray(transitive))
        {
            return Malformed("has a transitive_tag_keys that is not an array of strings");
        }

        if (!tags.TryGetProperty("principal_tags", out var principal))
        {
            return null;
        }

        if (principal.ValueKind != JsonValueKind.Object || principal.EnumerateObject().Any(t => !IsStringArray(t.Value)))
        {
            return Malformed("has a principal_tags that is not an object of string arrays");
        }

        // IAM compares tag keys without regard to case: "Tenant" and "TENANT" are the tenant tag too, and a token
        // holding two spellings would leave it to STS which one the session gets.
        var spellings = principal.EnumerateObject().Where(t => t.Name.Equals(TenantTag, StringComparison.OrdinalIgnoreCase)).ToList();
        if (spellings.Count > 1)
        {
            return Malformed("names the tenant tag more than once (tag keys differ only in case)");
        }

        if (spellings.Count == 1)
        {
            var values = spellings[0].Value;
            if (values.GetArrayLength() != 1 || values[0].GetString() != tenantId)
            {
                return new Refusal(Codes.TenantMismatch, $"The token's principal tag '{TenantTag}' ({Name}) must be exactly [\"{tenantId}\"]: the session would be tagged for another tenant.");
            }
        }

        return null;
    }

    private static bool IsStringArray(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String);

    private static Refusal Malformed(string problem) => new(Codes.InvalidToken, $"The token's {Name} claim {problem}.");
}
