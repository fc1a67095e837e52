using System.Text.Json.Nodes;
using CredentialVending.Local.Kms;
using CredentialVending.Local.Sts;
using CredentialVending.SystemTests.Hostile;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>
/// Brokered vends through the real bootstrap (docs/api.md "Brokered tenants"): the STS emulator trusts only the service's
/// issuer, checking the minted token against the served JWKS and the role's sub condition, as STS does.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class BrokeredVendTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_brokered_vend_sends_sts_the_services_token_for_the_tenant_not_the_callers_and_is_leased_as_brokered()
    {
        var tenant = await OnboardBrokeredAsync();

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 200, answer.ToString());
        var session = Session(answer);
        Assert.Equal(("AssumeRoleWithWebIdentity", cloud.FunctionEnvironment()["BROKER_ISSUER"], $"{tenant}:alice"), (session.IssuedBy, session.WebIdentityIssuer, session.WebIdentitySubject));
        Assert.Equal(answer.Json.GetProperty("leaseId").GetString(), session.RoleSessionName);
        Assert.Contains(new KeyValuePair<string, string>("tenant", tenant), session.Tags);
        Assert.Equal("alice", session.SourceIdentity);
        var item = Assert.Single(await cloud.LeaseItemsAsync(tenant));
        Assert.Equal("brokered", item["mode"].S);
    }

    [Fact]
    public async Task A_brokered_lease_of_two_hours_is_granted_since_the_call_is_not_role_chained()
    {
        var tenant = await OnboardBrokeredAsync();

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant), """{"durationSeconds":7200}"""));

        Assert.True(answer.Status == 200, answer.ToString());
        var expiration = DateTimeOffset.Parse(answer.Json.GetProperty("credentials").GetProperty("expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiration - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(115), TimeSpan.FromMinutes(121));
        Assert.Equal("7200", Assert.Single(await cloud.LeaseItemsAsync(tenant))["durationSeconds"].N);
    }

    [Fact]
    public async Task A_caller_whose_own_token_carries_tags_and_a_source_identity_gets_only_the_rendered_ones()
    {
        var tenant = await OnboardBrokeredAsync();
        var token = HostileTokens.Signed(cloud.Issuer, tenant,
            ""","https://aws.amazon.com/tags":{"principal_tags":{"tenant":["globex"],"admin":["true"]},"transitive_tag_keys":["tenant"]},"https://aws.amazon.com/source_identity":"root" """.TrimEnd());

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, token));

        Assert.True(answer.Status == 200, answer.ToString());
        var session = Session(answer);
        Assert.Equal([new("tenant", tenant), new("subject", "alice")], session.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Reverse());
        Assert.Empty(session.TransitiveTagKeys);
        Assert.Equal("alice", session.SourceIdentity);
    }

    [Fact]
    public async Task A_token_minted_for_one_tenant_cannot_assume_another_tenants_role()
    {
        var owner = await OnboardBrokeredAsync();

        // A second tenant whose role trusts the service's tokens for the first tenant only (sub like <owner>:*), as a trust
        // copied from the first tenant's would: the tokens minted for the second tenant (sub <other>:...) must not pass.
        var other = Requests.NewTenantId("brk");
        var document = Brokered(Requests.TenantDocument(other, cloud.Issuer.Issuer, "webIdentity"));
        var put = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{other}", document.ToJsonString()));
        Assert.True(put.Status == 201, put.ToString());
        cloud.Host.TrustBrokeredTenant(owner, document["issuance"]!["roleArn"]!.GetValue<string>());

        var answer = await cloud.SendSeenAsync(Requests.Vend(other, cloud.Token(other)));

        Assert.True(answer.Status == 502 && answer.Code == "issuance_failed", answer.ToString());
        Assert.Empty(await cloud.LeaseItemsAsync(other));
    }

    [Theory]
    [InlineData("down")]
    [InlineData("slow")]
    [InlineData("disabled key")]
    [InlineData("throttling")]
    [InlineData("answering a sign that is not json")]
    [InlineData("answering a sign without Signature")]
    [InlineData("answering a Signature not base64")]
    [InlineData("answering a signature of the wrong length")]
    [InlineData("answering a signature that does not verify")]
    public async Task Kms_failing_is_503_with_retry_after_and_no_sts_call_and_no_lease(string failure)
    {
        var tenant = await OnboardBrokeredAsync();
        var key = cloud.FunctionEnvironment()["BROKER_KMS_KEY_ID"];
        switch (failure)
        {
            case "down":
                cloud.Kms.Down = true;
                break;
            case "slow":
                cloud.Kms.Faults.Set(StsFault.Hang(TimeSpan.FromSeconds(20)));
                break;
            case "throttling":
                cloud.Kms.Faults.Set(StsFault.Throttle);
                break;
            case "disabled key":
                cloud.Kms.SetKeyState(key, KmsKeyState.Disabled);
                break;
            default:
                cloud.Kms.Garble = new KmsGarble("Sign", failure switch
                {
                    "answering a sign that is not json" => KmsGarbleKind.NotJson,
                    "answering a sign without Signature" => KmsGarbleKind.NoBlob,
                    "answering a Signature not base64" => KmsGarbleKind.BlobNotBase64,
                    "answering a signature of the wrong length" => KmsGarbleKind.ShortSignature,
                    _ => KmsGarbleKind.ForeignSignature,
                });
                break;
        }

        try
        {
            var refused = await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(tenant)), 503, "unavailable", $"KMS {failure}");
            Assert.NotNull(refused.Header("retry-after"));
        }
        finally
        {
            (cloud.Kms.Down, cloud.Kms.Garble) = (false, null);
            cloud.Kms.Faults.Clear();
            cloud.Kms.SetKeyState(key, KmsKeyState.Enabled);
        }
    }

    /// <summary>
    /// Two vend instances up before a brokered vend: the STS emulator fetches the JWKS through the local API on every
    /// call, so while one instance waits on STS another must answer it, without a cold start STS's timeout would cut.
    /// </summary>
    internal static async Task WarmAsync(LocalCloud cloud) =>
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => cloud.SendAsync(new() { Method = "GET", Path = "/.well-known/jwks.json" })));

    private IssuedSession Session(Answer answer)
    {
        var accessKey = answer.Json.GetProperty("credentials").GetProperty("accessKeyId").GetString()!;
        Assert.True(cloud.Sts.TryFindSession(accessKey, out var session) || cloud.StsWest.TryFindSession(accessKey, out session), $"no STS session {accessKey}");
        return session;
    }

    private async Task<string> OnboardBrokeredAsync()
    {
        await WarmAsync(cloud);
        return await cloud.OnboardAsync(Brokered(Requests.TenantDocument(Requests.NewTenantId("brk"), cloud.Issuer.Issuer, "webIdentity")));
    }

    private static JsonObject Brokered(JsonObject document)
    {
        document["issuance"]!["mode"] = "brokered";
        document["issuance"]!["maxDurationSeconds"] = 43200;
        document["sessionTags"] = new JsonObject { ["tenant"] = "{{tenant}}", ["subject"] = "{{subject}}" };
        return document;
    }
}
