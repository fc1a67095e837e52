using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;
using CredentialVending.SystemTests.Template;

namespace CredentialVending.SystemTests.Examples;

/// <summary>examples/onboarding/tenant.json: a document the service takes as it is, and previews as its users would be served.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class SampleTenantTests(LocalCloud cloud)
{
    [Fact]
    public async Task The_sample_tenant_is_accepted_by_a_put_and_previews_an_editor_inside_its_own_prefix()
    {
        var document = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("examples", "onboarding", "tenant.json")))!.AsObject();
        Assert.Equal("acme", document["tenantId"]!.GetValue<string>());

        // The sample's own id, made unique so this test never meets another's tenant of the same name.
        var tenantId = Requests.NewTenantId("acme");
        document["tenantId"] = tenantId;
        var put = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{tenantId}", document.ToJsonString()));
        var preview = await cloud.SendAsync(Requests.Admin(
            "POST",
            $"/admin/tenants/{tenantId}/preview",
            $$"""{"claims":{"sub":"alice","custom:tenant_id":"{{tenantId}}","cognito:groups":["editors"]},"scopes":["files:read","files:write"]}"""));

        Assert.True(put.Status == 201, put.ToString());
        Assert.True(preview.Status == 200, preview.ToString());
        var resources = preview.Json.GetProperty("sessionPolicy").GetProperty("Statement").EnumerateArray()
            .SelectMany(s => s.GetProperty("Resource").EnumerateArray()).Select(r => r.GetString()).ToArray();
        Assert.All(resources, r => Assert.Equal($"arn:aws:s3:::acme-data/{tenantId}/alice/*", r));
        Assert.Equal("arn:aws:iam::123456789012:role/tenant-acme", preview.Json.GetProperty("roleArn").GetString());
    }
}
