using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.SystemTests.Routes;

/// <summary>GET /admin/tenants: the tenants a page at a time, through the real bootstrap.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class AdminTenantsListTests(LocalCloud cloud)
{
    [Fact]
    public async Task Every_tenant_is_listed_once_across_pages_with_its_name_status_and_version_and_no_service_item()
    {
        var onboarded = new[] { await cloud.OnboardAsync(), await cloud.OnboardAsync(), await cloud.OnboardAsync(change: d => d["status"] = "suspended") };
        await cloud.Dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = cloud.TenantsTable,
            Item = new() { ["tenantId"] = new() { S = "_service-item" }, ["document"] = new() { S = "{}" }, ["version"] = new() { N = "1" } },
        });

        var items = new List<JsonElement>();
        string? cursor = null;
        for (var page = 0; page < 500; page++)
        {
            var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/tenants", query: "limit=5" + (cursor is null ? string.Empty : "&cursor=" + cursor)));
            Assert.Equal(200, answer.Status);
            var found = answer.Json.GetProperty("items").EnumerateArray().Select(i => i.Clone()).ToArray();
            Assert.True(found.Length <= 5);
            items.AddRange(found);
            var next = answer.Json.GetProperty("nextCursor");
            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
            if (cursor is null)
            {
                break;
            }
        }

        Assert.Null(cursor);
        var ids = items.Select(i => i.GetProperty("tenantId").GetString()!).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.DoesNotContain(ids, id => id.StartsWith('_'));
        foreach (var tenant in onboarded)
        {
            var item = Assert.Single(items, i => i.GetProperty("tenantId").GetString() == tenant);
            Assert.Equal(["tenantId", "displayName", "status", "version", "findings"], item.EnumerateObject().Select(p => p.Name));
            Assert.Equal($"Tenant {tenant}", item.GetProperty("displayName").GetString());
            Assert.Equal(1, item.GetProperty("version").GetInt64());
            Assert.Equal(0, item.GetProperty("findings").GetInt32());
        }

        Assert.Equal("suspended", Assert.Single(items, i => i.GetProperty("tenantId").GetString() == onboarded[2]).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_stored_tenant_the_lint_would_now_refuse_is_listed_with_as_many_findings_as_preview_warns_of()
    {
        // Stored before a stricter lint: one statement on every tenant's prefix, the other on an action IAM lacks.
        var document = Requests.TenantDocument(Requests.NewTenantId("legacy"), cloud.Issuer.Issuer);
        document["scopes"]!["files:read"]!["statements"]![0]!["Resource"] = new JsonArray("arn:aws:s3:::acme-data/*");
        document["scopes"]!["files:write"]!["statements"]![0]!["Action"] = new JsonArray("s3:PutObjekt");
        var tenant = await cloud.StoreLegacyTenantAsync(document);

        var listed = await FindAsync(tenant);
        var preview = await cloud.SendAsync(Requests.Admin(
            "POST", $"/admin/tenants/{tenant}/preview", $$"""{"claims":{"sub":"alice","tenant":"{{tenant}}"},"scopes":["files:read"]}"""));

        Assert.Equal(200, preview.Status);
        var warnings = preview.Json.GetProperty("warnings").GetArrayLength();
        Assert.True(warnings >= 2, preview.ToString());
        Assert.Equal(warnings, listed.GetProperty("findings").GetInt32());
    }

    [Fact]
    public async Task Without_a_limit_a_page_holds_at_most_50()
    {
        var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/tenants"));

        Assert.Equal(200, answer.Status);
        Assert.True(answer.Json.GetProperty("items").GetArrayLength() <= 50);
        Assert.True(answer.Json.TryGetProperty("nextCursor", out _));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("cursor=bm90LWEtY3Vyc29y")]
    [InlineData("status=active")]
    public async Task A_bad_limit_cursor_or_parameter_is_400_invalid_request(string query)
    {
        var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/tenants", query: query));

        Assert.Equal((400, "invalid_request"), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task A_leases_cursor_is_not_a_tenants_cursor()
    {
        var tenant = await cloud.OnboardAsync();
        var token = cloud.Token(tenant, "ops", ["admins"]);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(200, (await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant)))).Status);
        }

        var leases = await cloud.SendAsync(new HttpApiRequest
        {
            Method = "GET", Path = $"/v1/tenants/{tenant}/leases", RawQueryString = "limit=1", Headers = [new("Authorization", "Bearer " + token)],
        });
        var cursor = leases.Json.GetProperty("nextCursor").GetString();

        var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/tenants", query: "cursor=" + cursor));

        Assert.Equal((400, "invalid_request"), (answer.Status, answer.Code));
    }

    private async Task<JsonElement> FindAsync(string tenant)
    {
        string? cursor = null;
        do
        {
            var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/tenants", query: "limit=100" + (cursor is null ? string.Empty : "&cursor=" + cursor)));
            foreach (var item in answer.Json.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("tenantId").GetString() == tenant)
                {
                    return item.Clone();
                }
            }

            var next = answer.Json.GetProperty("nextCursor");
            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
        }
        while (cursor is not null);
        throw new Xunit.Sdk.XunitException($"{tenant} is not listed.");
    }

    [Fact]
    public async Task A_caller_not_in_admin_principal_arns_is_403_forbidden()
    {
        var answer = await cloud.SendAsync(Requests.Admin("GET", "/admin/tenants", iamArn: "arn:aws:iam::123456789012:role/someone-else"));
        var unsigned = await cloud.SendAsync(Requests.Admin("GET", "/admin/tenants", iamArn: null));

        Assert.Equal((403, "forbidden"), (answer.Status, answer.Code));
        Assert.Equal((403, "forbidden"), (unsigned.Status, unsigned.Code));
    }
}
