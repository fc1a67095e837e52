using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>docs/api.md's "One trust per tenant" on PUT /admin/tenants/{tenantId}: a role of its own, within the pattern.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class TenantTrustTests(LocalCloud cloud)
{
    /// <summary>One IAM role, however its ARN is spelled: names are unique per account whatever the path, and case-insensitively.</summary>
    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/tenant-{0}")]
    [InlineData("arn:aws:iam::123456789012:role/TENANT-{0}")]
    [InlineData("arn:aws:iam::123456789012:role/some/path/tenant-{0}")]
    public async Task A_role_another_tenant_uses_is_400_at_issuance_role_arn_naming_that_tenant(string spelling)
    {
        var owner = await cloud.OnboardAsync();
        var document = cloud.DocumentOnRole(string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, owner), "second");

        var answer = await PutAsync(document);

        Assert.Equal((400, "invalid_tenant"), (answer.Status, answer.Code));
        var error = Assert.Single(Errors(answer));
        Assert.Equal("issuance.roleArn", error.Path);
        Assert.Contains($"tenant {owner}", error.Message, StringComparison.Ordinal);
        Assert.Equal(404, (await cloud.SendAsync(Requests.Admin("GET", $"/admin/tenants/{document["tenantId"]}"))).Status);
    }

    [Fact]
    public async Task A_role_a_tenant_stored_before_the_rule_uses_is_refused_too()
    {
        var legacy = await cloud.StoreLegacyTenantAsync(Requests.TenantDocument(Requests.NewTenantId("legacy"), cloud.Issuer.Issuer));

        var answer = await PutAsync(cloud.DocumentOnRole(LegacyTenants.RoleOf(legacy)));

        Assert.Equal((400, "invalid_tenant"), (answer.Status, answer.Code));
        Assert.Contains(Errors(answer), e => e.Path == "issuance.roleArn" && e.Message.Contains($"tenant {legacy}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tenant_that_moves_to_another_role_frees_the_old_one_and_holds_the_new_one()
    {
        var document = Requests.TenantDocument(Requests.NewTenantId("mover"), cloud.Issuer.Issuer);
        var mover = await cloud.OnboardAsync(document);
        var newRole = LegacyTenants.RoleOf(mover + "-v2");
        document["issuance"]!["roleArn"] = newRole;

        var moved = await PutAsync(document);
        var takesOld = await PutAsync(cloud.DocumentOnRole(LegacyTenants.RoleOf(mover), "heir"));
        var takesNew = await PutAsync(cloud.DocumentOnRole(newRole, "late"));

        Assert.Equal(200, moved.Status);
        Assert.Equal(2, moved.Json.GetProperty("version").GetInt64());
        Assert.Equal(201, takesOld.Status);
        Assert.Equal(400, takesNew.Status);
        Assert.Contains(Errors(takesNew), e => e.Path == "issuance.roleArn" && e.Message.Contains($"tenant {mover}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Putting_a_tenant_again_with_its_own_role_keeps_one_version_and_lists_no_claim()
    {
        var document = Requests.TenantDocument(Requests.NewTenantId(), cloud.Issuer.Issuer);
        var tenant = await cloud.OnboardAsync(document);

        var again = await PutAsync(document);
        var listed = await ListAllAsync();

        Assert.Equal(200, again.Status);
        Assert.Equal(1, again.Json.GetProperty("version").GetInt64());
        Assert.Contains(tenant, listed);
        Assert.DoesNotContain(listed, id => id.StartsWith('_'));
    }

    [Fact]
    public async Task Of_concurrent_puts_naming_one_role_exactly_one_is_stored()
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
                var role = LegacyTenants.RoleOf(Requests.NewTenantId("shared"));
                var documents = functions.Select(_ => cloud.DocumentOnRole(role, "racer")).ToArray();

                var answers = await Task.WhenAll(functions.Select((f, i) =>
                    LocalCloud.SendAsync(f, Requests.Admin("PUT", $"/admin/tenants/{documents[i]["tenantId"]}", documents[i].ToJsonString()))));

                Assert.Single(answers, a => a.Status == 201);
                Assert.All(answers.Where(a => a.Status != 201), a =>
                {
                    Assert.Equal((400, "invalid_tenant"), (a.Status, a.Code));
                    Assert.Contains(Errors(a), e => e.Path == "issuance.roleArn");
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

    /// <summary>A PUT that stopped between claiming a role and storing its document leaves a claim nobody's document backs.</summary>
    [Theory]
    [InlineData(120, 201)]
    [InlineData(0, 400)]
    public async Task A_claim_no_document_backs_is_taken_over_only_once_it_is_a_minute_old(int ageSeconds, int status)
    {
        var role = LegacyTenants.RoleOf(Requests.NewTenantId("orphan"));
        await cloud.Dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = cloud.TenantsTable,
            Item = new()
            {
                ["tenantId"] = new() { S = "_role#aws:123456789012:" + role.Split('/')[^1] },
                ["owner"] = new() { S = "crashed-put" },
                ["claimedAt"] = new() { N = DateTimeOffset.UtcNow.AddSeconds(-ageSeconds).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
        });

        var answer = await PutAsync(cloud.DocumentOnRole(role, "adopter"));

        Assert.True(answer.Status == status, answer.ToString());
        if (status == 400)
        {
            Assert.Contains(Errors(answer), e => e.Path == "issuance.roleArn" && e.Message.Contains("tenant crashed-put", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/tenant-{0}", 201)]
    [InlineData("arn:aws:iam::123456789012:role/tenants/tenant-{0}", 400)]
    [InlineData("arn:aws:iam::123456789012:role/admin-{0}", 400)]
    [InlineData("arn:aws:iam::210987654321:role/tenant-{0}", 400)]
    public async Task With_tenant_role_arn_pattern_set_a_role_outside_it_is_refused(string role, int status)
    {
        var environment = cloud.FunctionEnvironment();
        environment["TENANT_ROLE_ARN_PATTERN"] = "arn:aws:iam::123456789012:role/tenant-*";
        await using var admin = await cloud.StartAsync("admin", environment);
        var document = Requests.TenantDocument(Requests.NewTenantId("pattern"), cloud.Issuer.Issuer);
        document["issuance"]!["roleArn"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, role, document["tenantId"]);

        var answer = await LocalCloud.SendAsync(admin, Requests.Admin("PUT", $"/admin/tenants/{document["tenantId"]}", document.ToJsonString()));

        Assert.True(answer.Status == status, answer.ToString());
        if (status == 400)
        {
            var error = Assert.Single(Errors(answer));
            Assert.Equal("issuance.roleArn", error.Path);
            Assert.Contains("TENANT_ROLE_ARN_PATTERN", error.Message, StringComparison.Ordinal);
        }
    }

    private Task<Answer> PutAsync(JsonObject document) =>
        cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{document["tenantId"]}", document.ToJsonString()));

    private async Task<List<string>> ListAllAsync()
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await cloud.SendAsync(Requests.Admin("GET", "/admin/tenants", query: "limit=100" + (cursor is null ? string.Empty : "&cursor=" + cursor)));
            ids.AddRange(page.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("tenantId").GetString()!));
            var next = page.Json.GetProperty("nextCursor");
            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
        }
        while (cursor is not null);
        return ids;
    }

    internal static IReadOnlyList<(string Path, string Message)> Errors(Answer answer) =>
        answer.Json.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("path").GetString()!, e.GetProperty("message").GetString()!)).ToArray();
}
