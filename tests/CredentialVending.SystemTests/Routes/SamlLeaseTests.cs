using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>
/// docs/api.md "SAML tenants", "Decode" and "Revocation" for a SAML lease, through the real bootstrap: its session is
/// named by the identity provider, not after the lease, and its operators sign in at the development OIDC issuer.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class SamlLeaseTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_saml_lease_is_listed_with_its_session_name_decoded_by_name_and_revoked_by_session_name_and_issue_time()
    {
        var tenantId = Requests.NewTenantId();
        var document = SamlVendTests.Document(cloud, tenantId);
        document["identity"]!["issuer"] = cloud.Issuer.Issuer;
        document["identity"]!["audiences"] = new JsonArray("credvend-local");
        document["permissions"] = JsonNode.Parse("""{ "decode": { "claim": "groups", "anyOf": ["admins"] }, "leases": { "claim": "groups", "anyOf": ["admins"] }, "revoke": { "claim": "groups", "anyOf": ["admins"] } }""");
        await cloud.OnboardAsync(document);
        var ops = cloud.Token(tenantId, "ops", ["admins"]);
        var vend = await cloud.SendAsync(Requests.Vend(tenantId, token: null, body: $$"""{ "samlResponse": "{{cloud.Saml.SignedResponse(SamlVendTests.Request(cloud, tenantId))}}" }"""));
        Assert.True(vend.Status == 200, vend.ToString());
        var leaseId = vend.Json.GetProperty("leaseId").GetString()!;

        var listed = await cloud.SendAsync(Requests.Operator("GET", $"/v1/tenants/{tenantId}/leases", ops));
        var lease = Assert.Single(listed.Json.GetProperty("items").EnumerateArray());
        var assumedRoleArn = lease.GetProperty("assumedRoleArn").GetString()!;
        Assert.Equal((leaseId, "saml", "carol"), (lease.GetProperty("leaseId").GetString(), lease.GetProperty("mode").GetString(), lease.GetProperty("sessionName").GetString()));
        Assert.EndsWith("/carol", assumedRoleArn, StringComparison.Ordinal);

        var encoded = await cloud.Api.GetStringAsync($"/_local/encoded-failure?principalArn={assumedRoleArn}&action=s3:PutObject&resource=arn:aws:s3:::data/{tenantId}/x");
        var decoded = await cloud.SendAsync(Requests.Operator("POST", $"/v1/tenants/{tenantId}/decode", ops, encoded));
        Assert.True(decoded.Status == 200, decoded.ToString());
        Assert.Equal((assumedRoleArn, leaseId), (decoded.Json.GetProperty("summary").GetProperty("principalArn").GetString(), decoded.Json.GetProperty("summary").GetProperty("leaseId").GetString()));

        var revoked = await cloud.SendAsync(Requests.Operator("POST", $"/v1/tenants/{tenantId}/leases/{leaseId}/revoke", ops, """{"reason":"laptop lost"}"""));
        Assert.True(revoked.Status == 202, revoked.ToString());
        var policy = cloud.Host.Iam!.RolePolicy("tenant-" + tenantId, "credential-vending-revocations");
        Assert.NotNull(policy);
        Assert.Contains("\"*:carol\"", policy, StringComparison.Ordinal);
        Assert.Contains("\"DateEquals\"", policy, StringComparison.Ordinal);
        Assert.Contains("\"aws:TokenIssueTime\"", policy, StringComparison.Ordinal);
        var read = await cloud.SendAsync(Requests.Operator("GET", $"/v1/tenants/{tenantId}/leases/{leaseId}", ops));
        Assert.True(read.Json.TryGetProperty("revokedAt", out _), read.ToString());
    }
}
