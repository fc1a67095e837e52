using System.Text.Json;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Sts;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>The revoke function's routes through the real bootstrap, against the local cloud's IAM emulator and dynalite.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class RevocationTests(LocalCloud cloud)
{
    private const string PolicyName = "credential-vending-revocations";

    [Fact]
    public async Task Revoking_a_lease_denies_its_session_on_the_role_and_marks_it_in_the_ledger()
    {
        var tenant = await cloud.OnboardAsync();
        var revoked = await VendAsync(tenant, "alice");
        var kept = await VendAsync(tenant, "alice");

        var answer = await cloud.SendAsync(Operator("POST", $"/v1/tenants/{tenant}/leases/{revoked}/revoke", Ops(tenant), """{"reason":"phone lost"}"""));

        Assert.Equal(202, answer.Status);
        Assert.Equal(revoked, answer.Json.GetProperty("target").GetProperty("leaseId").GetString());
        Assert.Equal("IAM applies policy changes within a few minutes", answer.Json.GetProperty("propagation").GetString());
        Assert.False(answer.Json.GetProperty("merged").GetBoolean());
        var policy = cloud.Host.Iam!.RolePolicy("tenant-" + tenant, PolicyName);
        Assert.NotNull(policy);
        Assert.Contains($"\"*:{revoked}\"", policy, StringComparison.Ordinal);
        Assert.DoesNotContain(kept, policy, StringComparison.Ordinal);

        var lease = await cloud.SendAsync(Operator("GET", $"/v1/tenants/{tenant}/leases/{revoked}", Ops(tenant)));
        Assert.Equal(answer.Json.GetProperty("revocationId").GetString(), lease.Json.GetProperty("revocationId").GetString());
        Assert.True(lease.Json.TryGetProperty("revokedAt", out _));
        var onlyRevoked = await cloud.SendAsync(Operator("GET", $"/v1/tenants/{tenant}/leases", Ops(tenant), query: "revoked=true"));
        Assert.Equal([revoked], onlyRevoked.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("leaseId").GetString()));
        var listed = await cloud.SendAsync(Requests.Admin("GET", $"/admin/tenants/{tenant}/revocations"));
        var record = Assert.Single(listed.Json.GetProperty("items").EnumerateArray());
        Assert.Equal(("phone lost", "subject:ops"), (record.GetProperty("reason").GetString(), record.GetProperty("revokedBy").GetString()));
    }

    [Fact]
    public async Task A_revoked_subjects_older_tokens_are_refused_credentials_and_a_new_token_is_not()
    {
        var tenant = await cloud.OnboardAsync();
        var before = cloud.Token(tenant, "bob");
        await Task.Delay(1100);

        var answer = await cloud.SendAsync(Operator("POST", $"/v1/tenants/{tenant}/revocations", Ops(tenant), """{"subject":"bob"}"""));
        Assert.Equal(202, answer.Status);
        var policy = cloud.Host.Iam!.RolePolicy("tenant-" + tenant, PolicyName)!;
        Assert.Contains("\"aws:SourceIdentity\":\"bob\"", policy, StringComparison.Ordinal);

        var old = await cloud.SendAsync(Requests.Vend(tenant, before));
        var other = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, "carol")));
        Assert.Equal((403, "revoked"), (old.Status, old.Code));
        Assert.Equal(200, other.Status);

        // A token issued once the revocation's second has passed is the subject signing in again.
        var notBefore = DateTimeOffset.Parse(answer.Json.GetProperty("notBefore").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var wait = notBefore - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100);
        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        var fresh = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, "bob")));
        Assert.Equal(200, fresh.Status);
    }

    [Theory]
    [InlineData("""{"leaseId":"01JDQ3ZV7W5K8Q4T0N9B2XG6AC","subject":"bob"}""")]
    [InlineData("""{"all":false}""")]
    [InlineData("""{"all":"yes"}""")]
    [InlineData("""{"subject":7}""")]
    [InlineData("""{"subject":""}""")]
    [InlineData("""{"reason":"no target"}""")]
    [InlineData("""{"all":true,"reasons":"typo"}""")]
    [InlineData("""[{"all":true}]""")]
    [InlineData("not json")]
    public async Task An_admin_body_that_is_not_exactly_one_target_is_400_invalid_request_and_nothing_is_revoked(string body)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Admin("POST", $"/admin/tenants/{tenant}/revocations", body));

        Assert.Equal((400, "invalid_request"), (answer.Status, answer.Code));
        Assert.Null(cloud.Host.Iam!.RolePolicy("tenant-" + tenant, PolicyName));
    }

    [Fact]
    public async Task A_lease_the_tenant_does_not_have_is_404_and_a_caller_without_the_permission_is_403()
    {
        var tenant = await cloud.OnboardAsync();
        var theirs = await VendAsync(await cloud.OnboardAsync(), "alice");
        var mine = await VendAsync(tenant, "alice");

        var foreign = await cloud.SendAsync(Operator("POST", $"/v1/tenants/{tenant}/leases/{theirs}/revoke", Ops(tenant)));
        var unknown = await cloud.SendAsync(Requests.Admin("POST", $"/admin/tenants/{tenant}/revocations", """{"leaseId":"not-a-lease"}"""));
        var user = await cloud.SendAsync(Operator("POST", $"/v1/tenants/{tenant}/leases/{mine}/revoke", cloud.Token(tenant, "alice")));

        Assert.Equal((404, "not_found"), (foreign.Status, foreign.Code));
        Assert.Equal((404, "not_found"), (unknown.Status, unknown.Code));
        Assert.Equal((403, "forbidden"), (user.Status, user.Code));
        Assert.Null(cloud.Host.Iam!.RolePolicy("tenant-" + tenant, PolicyName));
    }

    [Fact]
    public async Task IAM_throttling_is_503_unavailable_and_nothing_is_recorded_as_revoked()
    {
        var tenant = await cloud.OnboardAsync();
        var lease = await VendAsync(tenant, "alice");
        Answer answer;
        cloud.Host.Iam!.Faults.Set(StsFault.Throttle);
        try
        {
            answer = await cloud.SendAsync(Requests.Admin("POST", $"/admin/tenants/{tenant}/revocations", $$"""{"leaseId":"{{lease}}"}"""));
        }
        finally
        {
            cloud.Host.Iam.Faults.Set(StsFault.None);
        }

        Assert.Equal((503, "unavailable"), (answer.Status, answer.Code));
        Assert.NotNull(answer.Header("Retry-After"));
        var read = await cloud.SendAsync(Operator("GET", $"/v1/tenants/{tenant}/leases/{lease}", Ops(tenant)));
        Assert.False(read.Json.TryGetProperty("revokedAt", out _));
        var listed = await cloud.SendAsync(Requests.Admin("GET", $"/admin/tenants/{tenant}/revocations"));
        Assert.Empty(listed.Json.GetProperty("items").EnumerateArray());
        Assert.Null(cloud.Host.Iam.RolePolicy("tenant-" + tenant, PolicyName));
    }

    private string Ops(string tenant) => cloud.Token(tenant, "ops", ["admins"]);

    private async Task<string> VendAsync(string tenant, string subject)
    {
        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, subject)));
        Assert.Equal(200, answer.Status);
        return answer.Json.GetProperty("leaseId").GetString()!;
    }

    private static HttpApiRequest Operator(string method, string path, string token, string? body = null, string query = "") =>
        Requests.Operator(method, path, token, body, query);
}
