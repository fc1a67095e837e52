using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;

namespace CredentialVending.SystemTests.Support;

/// <summary>
/// Tenants stored before a rule that PUT now applies: written straight into the tenants table as the admin function
/// writes them (the document's JSON and its version), so the tests can show such a tenant keeps working, and cannot
/// reach past itself.
/// </summary>
public static class LegacyTenants
{
    public static async Task<string> StoreLegacyTenantAsync(this LocalCloud cloud, JsonObject document)
    {
        var tenantId = document["tenantId"]!.GetValue<string>();
        await cloud.Dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = cloud.TenantsTable,
            Item = new()
            {
                ["tenantId"] = new() { S = tenantId },
                ["document"] = new() { S = document.ToJsonString() },
                ["version"] = new() { N = "1" },
            },
        });
        return tenantId;
    }

    /// <summary>A document of <see cref="Requests.TenantDocument"/> on another tenant's role (or issuer settings), as no PUT would now take it.</summary>
    public static JsonObject DocumentOnRole(this LocalCloud cloud, string roleArn, string prefix = "legacy")
    {
        var document = Requests.TenantDocument(Requests.NewTenantId(prefix), cloud.Issuer.Issuer);
        document["issuance"]!["roleArn"] = roleArn;
        return document;
    }

    public static string RoleOf(string tenantId) => $"arn:aws:iam::{LocalCloud.AccountId}:role/tenant-{tenantId}";
}
