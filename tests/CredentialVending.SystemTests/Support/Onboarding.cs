using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using CredentialVending.Local.Oidc;

namespace CredentialVending.SystemTests.Support;

/// <summary>What most end-to-end tests do first: onboard a tenant through the admin route and get a user's token.</summary>
public static class Onboarding
{
    public static async Task<string> OnboardAsync(this LocalCloud cloud, JsonObject document)
    {
        var tenantId = document["tenantId"]!.GetValue<string>();
        var answer = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{tenantId}", document.ToJsonString()));
        Assert.True(answer.Status == 201, $"Onboarding {tenantId} failed: {answer}");

        // As onboarding automation writes a brokered tenant's role trust policy: the service's issuer, sub like tenantId:*.
        if (document["issuance"]?["mode"]?.GetValue<string>() == "brokered")
        {
            cloud.Host.TrustBrokeredTenant(tenantId, document["issuance"]!["roleArn"]!.GetValue<string>());
        }

        return tenantId;
    }

    public static Task<string> OnboardAsync(this LocalCloud cloud, string mode = "assumeRole", Action<JsonObject>? change = null)
    {
        var document = Requests.TenantDocument(Requests.NewTenantId(), cloud.Issuer.Issuer, mode);
        change?.Invoke(document);
        return cloud.OnboardAsync(document);
    }

    public static string Token(this LocalCloud cloud, string tenantId, string subject = "alice", string[]? groups = null, Action<Dictionary<string, object>>? claims = null)
    {
        var all = new Dictionary<string, object> { ["tenant"] = tenantId, ["groups"] = groups ?? [] };
        claims?.Invoke(all);
        return cloud.Issuer.IssueToken(new TokenRequest { Subject = subject, Claims = all });
    }

    /// <summary>Every lease item of a tenant, straight from the table.</summary>
    public static async Task<IReadOnlyList<Dictionary<string, AttributeValue>>> LeaseItemsAsync(this LocalCloud cloud, string tenantId)
    {
        var answer = await cloud.Dynamo.QueryAsync(new QueryRequest
        {
            TableName = cloud.LeasesTable,
            KeyConditionExpression = "tenantId = :t",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":t"] = new() { S = tenantId } },
            ConsistentRead = true,
        });
        return answer.Items ?? [];
    }
}
