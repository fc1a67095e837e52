using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// docs/api.md "Rules": in webIdentity mode STS tags the session from the token's https://aws.amazon.com/tags claim, so
/// the vend function checks it before calling STS. A claim that would tag the session for another tenant is 403
/// tenant_mismatch, one STS could not read as tags is 401 invalid_token; neither reaches STS or leaves a lease.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class WebIdentityTagTests(LocalCloud cloud)
{
    public static TheoryData<string, int, string> Tags => new()
    {
        { """{"principal_tags":{"tenant":["{T}"]},"transitive_tag_keys":[]}""", 200, "" },
        { """{"principal_tags":{"tenant":["{T}"],"project":["a"]}}""", 200, "" },
        { """{"principal_tags":{"project":["x"]}}""", 200, "" },
        { """{"principal_tags":{"project":["x"]},"transitive_tag_keys":["project"]}""", 200, "" },
        { """{"principal_tags":{"tenant":["globex"]}}""", 403, "tenant_mismatch" },
        { """{"principal_tags":{"Tenant":["globex"]}}""", 403, "tenant_mismatch" },
        { """{"principal_tags":{"TENANT":["globex"]}}""", 403, "tenant_mismatch" },
        { """{"principal_tags":{"tenant":["{T}","globex"]}}""", 403, "tenant_mismatch" },
        { """{"principal_tags":{"tenant":[]}}""", 403, "tenant_mismatch" },
        { """{"principal_tags":{"tenant":[""]}}""", 403, "tenant_mismatch" },
        { """{"principal_tags":{"tenant":["{T} "]}}""", 403, "tenant_mismatch" },
        { """{"principal_tags":{"tenant":["{T}"],"Tenant":["globex"]}}""", 401, "invalid_token" },
        { """{"principal_tags":{"tenant":"{T}"}}""", 401, "invalid_token" },
        { """{"principal_tags":{"tenant":[7]}}""", 401, "invalid_token" },
        { """{"principal_tags":[["tenant","{T}"]]}""", 401, "invalid_token" },
        { """{"principal_tags":{"tenant":["{T}"]},"transitive_tag_keys":"tenant"}""", 401, "invalid_token" },
        { "\"tenant={T}\"", 401, "invalid_token" },
        { "null", 401, "invalid_token" },
    };

    [Theory]
    [MemberData(nameof(Tags))]
    public async Task In_web_identity_mode_the_tags_claim_must_keep_the_session_in_the_tenant(string tags, int status, string code)
    {
        var tenant = await cloud.OnboardAsync("webIdentity");
        var token = HostileTokens.Signed(cloud.Issuer, tenant, ",\"https://aws.amazon.com/tags\":" + tags.Replace("{T}", tenant, StringComparison.Ordinal));

        if (status == 200)
        {
            var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, token));
            Assert.True(answer.Status == 200, answer.ToString());
            await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
        }
        else
        {
            await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, token), status, code, tags);
        }
    }

    [Fact]
    public async Task In_web_identity_mode_a_token_without_the_tags_claim_is_served()
    {
        // STS then sets no tenant tag: a statement tied by ${aws:PrincipalTag/tenant} matches nothing (docs/decisions.md).
        var tenant = await cloud.OnboardAsync("webIdentity");

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 200, answer.ToString());
        await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
    }

    [Fact]
    public async Task In_assume_role_mode_the_tags_claim_is_not_read_since_the_service_sets_the_tags()
    {
        var tenant = await cloud.OnboardAsync();
        var token = HostileTokens.Signed(cloud.Issuer, tenant, ""","https://aws.amazon.com/tags":{"principal_tags":{"tenant":["globex"]}}""");

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, token));

        Assert.True(answer.Status == 200, answer.ToString());
        var call = Assert.Single(cloud.Sts.Calls.Concat(cloud.StsWest.Calls), c => c.RoleSessionName == answer.Json.GetProperty("leaseId").GetString());
        Assert.Contains(call.Tags, t => t.Key == "tenant" && t.Value == tenant);
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);
}
