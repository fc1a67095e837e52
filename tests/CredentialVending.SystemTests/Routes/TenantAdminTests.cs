using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>PUT and GET /admin/tenants/{tenantId}, through the real bootstrap.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class TenantAdminTests(LocalCloud cloud)
{
    private static KeyValuePair<string, string> IfMatch(string etag) => new("If-Match", etag);

    [Fact]
    public async Task Put_creates_a_tenant_with_version_1_and_get_answers_it_with_its_etag()
    {
        var document = Requests.TenantDocument(Requests.NewTenantId(), cloud.Issuer.Issuer);
        var id = document["tenantId"]!.GetValue<string>();

        var created = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{id}", document.ToJsonString()));
        var read = await cloud.SendAsync(Requests.Admin("GET", $"/admin/tenants/{id}"));

        Assert.Equal(201, created.Status);
        Assert.Equal(1, created.Json.GetProperty("version").GetInt64());
        Assert.NotNull(created.Header("etag"));
        Assert.Equal(200, read.Status);
        Assert.Equal(created.Header("etag"), read.Header("etag"));
        Assert.Equal(id, read.Json.GetProperty("tenantId").GetString());
        Assert.Equal("files:read", read.Json.GetProperty("defaultScopes")[0].GetString());
        Assert.Equal(1, read.Json.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task The_same_document_twice_leaves_one_version_and_a_change_makes_the_next()
    {
        var document = Requests.TenantDocument(Requests.NewTenantId(), cloud.Issuer.Issuer);
        var id = await cloud.OnboardAsync(document);

        var again = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{id}", document.ToJsonString()));
        document["displayName"] = "Renamed";
        var changed = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{id}", document.ToJsonString()));

        Assert.Equal(200, again.Status);
        Assert.Equal(1, again.Json.GetProperty("version").GetInt64());
        Assert.Equal(200, changed.Status);
        Assert.Equal(2, changed.Json.GetProperty("version").GetInt64());
        Assert.Equal("Renamed", changed.Json.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task A_get_body_put_back_with_its_etag_is_taken_and_a_stale_etag_is_412()
    {
        var id = await cloud.OnboardAsync();
        var read = await cloud.SendAsync(Requests.Admin("GET", $"/admin/tenants/{id}"));
        var edited = JsonNode.Parse(read.Body)!.AsObject();
        edited["displayName"] = "First edit";

        var first = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{id}", edited.ToJsonString(), headers: [IfMatch(read.Header("etag")!)]));
        edited["displayName"] = "Second edit, from the stale copy";
        var stale = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{id}", edited.ToJsonString(), headers: [IfMatch(read.Header("etag")!)]));

        Assert.Equal(200, first.Status);
        Assert.Equal(412, stale.Status);
        Assert.Equal("precondition_failed", stale.Code);
        var now = await cloud.SendAsync(Requests.Admin("GET", $"/admin/tenants/{id}"));
        Assert.Equal("First edit", now.Json.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task An_admin_call_with_no_iam_context_is_403_forbidden()
    {
        var document = Requests.TenantDocument(Requests.NewTenantId(), cloud.Issuer.Issuer);

        var answer = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{document["tenantId"]}", document.ToJsonString(), iamArn: null));

        Assert.Equal(403, answer.Status);
        Assert.Equal("forbidden", answer.Code);
    }

    [Fact]
    public async Task A_signer_outside_admin_principal_arns_is_403_forbidden()
    {
        var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/tenants/acme", iamArn: "arn:aws:iam::123456789012:user/mallory"));

        Assert.Equal(403, answer.Status);
        Assert.Equal("forbidden", answer.Code);
    }

    [Fact]
    public async Task An_invalid_document_is_400_invalid_tenant_with_every_problem_and_its_path()
    {
        var document = Requests.TenantDocument(Requests.NewTenantId(), cloud.Issuer.Issuer);
        document["status"] = "sleeping";
        document["issuance"]!["roleArn"] = "not-an-arn";
        document["defaultScopes"] = new JsonArray("files:nope");

        var answer = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{document["tenantId"]}", document.ToJsonString()));

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_tenant", answer.Code);
        var paths = answer.Json.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToArray();
        Assert.Contains("status", paths);
        Assert.Contains("issuance.roleArn", paths);
        Assert.Contains(paths, p => p!.StartsWith("defaultScopes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_naming_another_tenant_than_the_path_is_refused()
    {
        var document = Requests.TenantDocument("someone-else", cloud.Issuer.Issuer);

        var answer = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{Requests.NewTenantId()}", document.ToJsonString()));

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_tenant", answer.Code);
    }

    [Fact]
    public async Task Get_of_a_tenant_nobody_onboarded_is_404_tenant_not_found()
    {
        var answer = await cloud.SendAsync(Requests.Admin("GET", $"/admin/tenants/{Requests.NewTenantId()}"));

        Assert.Equal(404, answer.Status);
        Assert.Equal("tenant_not_found", answer.Code);
    }

    [Fact]
    public async Task A_body_over_64_kib_is_413()
    {
        var answer = await cloud.SendAsync(Requests.Admin("PUT", "/admin/tenants/big", "{\"displayName\":\"" + new string('x', 70 * 1024) + "\"}"));

        Assert.Equal(413, answer.Status);
        Assert.Equal("payload_too_large", answer.Code);
    }
}
