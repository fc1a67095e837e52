using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// Tenant ids in the path that no tenant can have (docs/api.md: <c>^[a-z0-9][a-z0-9-]{1,62}$</c>): too long for a DynamoDB
/// key, encoded slashes, control characters, the rate counters' own partition. Each is a 404 or a 4xx refusal with a
/// good token, never a 5xx, and nothing issued.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class HostilePathTests(LocalCloud cloud)
{
    private static readonly string[] Ids = [new string('a', 3000), "%2e%2e", "acme%2F..%2Fother", "%00", "%C3%A9", "_rate%23acme", "ACME", "a", "-acme", "acme%20", "%F0%9F%92%A5"];

    public static TheoryData<string, string> Paths()
    {
        var data = new TheoryData<string, string>();
        foreach (var id in Ids)
        {
            data.Add("POST", $"/v1/tenants/{id}/credentials");
            data.Add("GET", $"/v1/tenants/{id}/leases");
            data.Add("GET", $"/v1/tenants/{id}/leases/01JDQ3ZV7W5K8Q4T0N9B2XG6AC");
            data.Add("POST", $"/v1/tenants/{id}/decode");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_tenant_id_no_tenant_can_have_is_a_4xx_with_a_good_token_and_nothing_is_issued(string method, string path)
    {
        var tenant = await cloud.OnboardAsync();
        var request = Requests.Vend(tenant, cloud.Token(tenant, "alice", ["admins"]), method == "POST" ? "{}" : null, method: method) with { Path = path };
        var calls = cloud.StsCalls();

        var answer = await cloud.SendSeenAsync(request);

        Assert.True(answer.Status is >= 400 and < 500, answer.ToString());
        Assert.Equal("application/problem+json", answer.Header("content-type"));
        Assert.Equal(calls, cloud.StsCalls());
        Assert.True(answer.Body.Length < 1024, "the refusal repeats the caller's path");
    }

    public static TheoryData<string, string> AdminPaths()
    {
        var data = new TheoryData<string, string>();
        foreach (var id in Ids)
        {
            data.Add("GET", $"/admin/tenants/{id}");
            data.Add("PUT", $"/admin/tenants/{id}");
            data.Add("POST", $"/admin/tenants/{id}/preview");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AdminPaths))]
    public async Task An_admin_call_for_a_tenant_id_no_tenant_can_have_is_a_4xx_and_writes_nothing(string method, string path)
    {
        var tenants = (await cloud.ScanAsync(cloud.TenantsTable)).Count;
        var body = method switch
        {
            "PUT" => Requests.TenantDocument("acme", cloud.Issuer.Issuer).ToJsonString().Replace("\"tenantId\":\"acme\",", string.Empty, StringComparison.Ordinal),
            "POST" => "{\"claims\":{\"sub\":\"alice\"}}",
            _ => null,
        };

        var answer = await cloud.SendSeenAsync(Requests.Admin(method, path, body));

        Assert.True(answer.Status is >= 400 and < 500, answer.ToString());
        Assert.Equal(tenants, (await cloud.ScanAsync(cloud.TenantsTable)).Count);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("01JDQ3ZV7W5K8Q4T0N9B2XG6A%2F")]
    [InlineData("%00")]
    public async Task A_lease_id_that_is_not_a_ulid_is_404_not_found(string leaseId)
    {
        var tenant = await cloud.OnboardAsync();
        var request = Requests.Vend(tenant, cloud.Token(tenant, "alice", ["admins"]), method: "GET") with { Path = $"/v1/tenants/{tenant}/leases/{leaseId}" };

        var answer = await cloud.SendSeenAsync(request);

        Assert.True(answer.Status == 404 && answer.Code == "not_found", answer.ToString());
    }

    [Fact]
    public async Task A_lease_id_of_3000_characters_is_404_not_found()
    {
        var tenant = await cloud.OnboardAsync();
        var request = Requests.Vend(tenant, cloud.Token(tenant, "alice", ["admins"]), method: "GET") with { Path = $"/v1/tenants/{tenant}/leases/{new string('0', 3000)}" };

        var answer = await cloud.SendSeenAsync(request);

        Assert.True(answer.Status == 404 && answer.Code == "not_found", answer.ToString());
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);
}
