using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>GET /admin/leases?accessKeyId=...: an access key id from CloudTrail to its lease, across tenants.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class FindLeaseTests(LocalCloud cloud)
{
    [Fact]
    public async Task An_access_key_id_is_found_whatever_its_tenant()
    {
        var tenant = await cloud.OnboardAsync();
        await cloud.OnboardAsync();
        var vend = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, "alice")));
        var accessKeyId = vend.Json.GetProperty("credentials").GetProperty("accessKeyId").GetString();

        var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/leases", query: "accessKeyId=" + accessKeyId));

        Assert.Equal(200, answer.Status);
        Assert.Equal(vend.Json.GetProperty("leaseId").GetString(), answer.Json.GetProperty("leaseId").GetString());
        Assert.Equal(tenant, answer.Json.GetProperty("tenantId").GetString());
        Assert.Equal("alice", answer.Json.GetProperty("subject").GetString());
        Assert.Equal(accessKeyId, answer.Json.GetProperty("accessKeyId").GetString());
        Assert.Equal(vend.Json.GetProperty("assumedRoleArn").GetString(), answer.Json.GetProperty("assumedRoleArn").GetString());
        Assert.DoesNotContain(vend.Json.GetProperty("credentials").GetProperty("secretAccessKey").GetString()!, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_access_key_id_in_no_lease_is_404_not_found()
    {
        var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/leases", query: "accessKeyId=ASIANOSUCHKEY0000000"));

        Assert.Equal((404, "not_found"), (answer.Status, answer.Code));
    }

    [Theory]
    [InlineData("")]
    [InlineData("accessKeyId=")]
    [InlineData("accessKeyId=ASIA")]
    [InlineData("accessKeyId=ASIA%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A")]
    [InlineData("accessKeyId=ASIAEXAMPLEEXAMPLE00&tenantId=acme")]
    public async Task A_missing_or_malformed_access_key_id_is_400_invalid_request(string query)
    {
        var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/leases", query: query));

        Assert.Equal((400, "invalid_request"), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task A_caller_not_in_admin_principal_arns_is_403_forbidden()
    {
        var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/leases", query: "accessKeyId=ASIAEXAMPLEEXAMPLE00", iamArn: "arn:aws:iam::123456789012:user/intern"));

        Assert.Equal((403, "forbidden"), (answer.Status, answer.Code));
    }
}
