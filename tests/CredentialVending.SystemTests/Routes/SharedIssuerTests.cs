using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>
/// PUT /admin/tenants/{tenantId}: two tenants that take tokens of one issuer for a common audience must both name their
/// tenant in a claim (tenantClaim), else one token would be both tenants' and the later PUT is refused naming the other.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class SharedIssuerTests(LocalCloud cloud)
{
    [Theory]
    [InlineData(false, true, true, 400)]
    [InlineData(true, false, true, 400)]
    [InlineData(false, false, true, 400)]
    [InlineData(true, true, true, 201)]
    [InlineData(false, false, false, 201)]
    public async Task A_second_tenant_on_the_first_ones_issuer_and_audience_needs_a_tenant_claim_on_both(bool firstClaims, bool secondClaims, bool commonAudience, int status)
    {
        // An audience of this test's own, so no other test's tenant shares it.
        var audience = "aud-" + Guid.NewGuid().ToString("N")[..12];
        var first = await cloud.OnboardAsync(Document(audience, firstClaims));

        var answer = await PutAsync(Document(commonAudience ? audience : audience + "-other", secondClaims));

        Assert.True(answer.Status == status, answer.ToString());
        if (status == 400)
        {
            var error = Assert.Single(TenantTrustTests.Errors(answer));
            Assert.Equal("identity.tenantClaim", error.Path);
            Assert.Contains($"tenant {first}", error.Message, StringComparison.Ordinal);
            Assert.Contains(audience, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Another_issuer_with_the_same_audience_is_no_conflict()
    {
        var audience = "aud-" + Guid.NewGuid().ToString("N")[..12];
        await cloud.OnboardAsync(Document(audience, tenantClaim: false));
        var elsewhere = Document(audience, tenantClaim: false);
        elsewhere["identity"]!["issuer"] = cloud.Issuer.Issuer.TrimEnd('/') + "/another-pool";

        var answer = await PutAsync(elsewhere);

        Assert.Equal(201, answer.Status);
    }

    [Fact]
    public async Task A_tenant_stored_before_the_rule_without_a_tenant_claim_is_named_when_a_new_one_shares_its_audience()
    {
        var audience = "aud-" + Guid.NewGuid().ToString("N")[..12];
        var legacy = await cloud.StoreLegacyTenantAsync(Document(audience, tenantClaim: false, prefix: "legacy"));

        var answer = await PutAsync(Document(audience, tenantClaim: true));

        Assert.Equal((400, "invalid_tenant"), (answer.Status, answer.Code));
        Assert.Contains(TenantTrustTests.Errors(answer), e => e.Path == "identity.tenantClaim" && e.Message.Contains($"tenant {legacy}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Of_concurrent_puts_sharing_an_issuer_and_audience_without_tenant_claims_at_most_one_is_stored()
    {
        var functions = new List<CredentialVending.Local.Lambda.FunctionInstance>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                functions.Add(await cloud.StartAsync("admin", cloud.FunctionEnvironment()));
            }

            for (var round = 0; round < 3; round++)
            {
                var audience = "aud-" + Guid.NewGuid().ToString("N")[..12];
                var documents = functions.Select((_, i) => Document(audience, tenantClaim: i == 0, prefix: "racer")).ToArray();

                var answers = await Task.WhenAll(functions.Select((f, i) =>
                    LocalCloud.SendAsync(f, Requests.Admin("PUT", $"/admin/tenants/{documents[i]["tenantId"]}", documents[i].ToJsonString()))));

                Assert.True(answers.Count(a => a.Status == 201) <= 1, string.Join('\n', answers.Select(a => a.ToString())));
                Assert.All(answers.Where(a => a.Status != 201), a =>
                {
                    Assert.Equal((400, "invalid_tenant"), (a.Status, a.Code));
                    Assert.Contains(TenantTrustTests.Errors(a), e => e.Path == "identity.tenantClaim");
                });
            }
        }
        finally
        {
            foreach (var function in functions)
            {
                await function.DisposeAsync();
            }
        }
    }

    /// <summary>A document on the development issuer for one audience, with or without the tenant claim.</summary>
    internal static JsonObject Document(LocalCloud cloud, string audience, bool tenantClaim, string prefix = "t")
    {
        var document = Requests.TenantDocument(Requests.NewTenantId(prefix), cloud.Issuer.Issuer);
        document["identity"]!["audiences"] = new JsonArray(audience);
        if (!tenantClaim)
        {
            document["identity"]!.AsObject().Remove("tenantClaim");
        }

        return document;
    }

    private JsonObject Document(string audience, bool tenantClaim, string prefix = "t") => Document(cloud, audience, tenantClaim, prefix);

    private Task<Answer> PutAsync(JsonObject document) =>
        cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{document["tenantId"]}", document.ToJsonString()));
}
