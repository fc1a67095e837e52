using System.Text.Json.Nodes;

namespace CredentialVending.Local.Hosting;

/// <summary>
/// The brokered demo tenant the run command onboards next to <see cref="DemoTenant"/> (docs/api.md, "Brokered tenants"):
/// the same users, groups and scopes, but the service mints the token STS sees, so a lease may last up to 12 hours and
/// its tags are the service's. The STS emulator trusts the service's issuer for its role, with <c>sub</c> like <c>demo-brokered:*</c>.
/// </summary>
public static class DemoBrokeredTenant
{
    public const string TenantId = "demo-brokered";
    public const string RoleArn = "arn:aws:iam::123456789012:role/demo-brokered-tenant";

    public static JsonObject Document(string issuer)
    {
        var document = DemoTenant.Document(issuer);
        document["tenantId"] = TenantId;
        document["displayName"] = "Demo brokered tenant (local run)";
        document["issuance"] = new JsonObject
        {
            ["mode"] = "brokered",
            ["roleArn"] = RoleArn,
            ["defaultDurationSeconds"] = 3600,
            ["maxDurationSeconds"] = 43200,
        };
        return document;
    }

    /// <summary>Onboards the tenant unless kept, and makes STS trust the service's issuer for its role.</summary>
    public static async Task<string> EnsureAsync(LocalCloudHost host, HttpClient admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var status = await DemoTenant.EnsureAsync(admin, Document(host.Issuer.Issuer), cancellationToken).ConfigureAwait(false);
        host.TrustBrokeredTenant(TenantId, RoleArn);
        return status;
    }
}
