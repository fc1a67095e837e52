using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>POST /admin/tenants/{tenantId}/preview: what a caller would get, through the real bootstrap, with no STS call.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class PreviewTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_preview_matches_what_a_real_request_then_sends_sts_byte_for_byte()
    {
        var tenant = await cloud.OnboardAsync();
        var stsCalls = cloud.Sts.Calls.Count + cloud.StsWest.Calls.Count;

        var preview = await Preview(tenant, Claims(tenant, "bob", "editors"), "[\"files:write\",\"files:read\"]", 1800);

        Assert.Equal(200, preview.Status);
        Assert.Equal(stsCalls, cloud.Sts.Calls.Count + cloud.StsWest.Calls.Count);
        var vend = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, "bob", ["editors"]), "{\"scopes\":[\"files:write\",\"files:read\"],\"durationSeconds\":1800}"));
        Assert.Equal(200, vend.Status);
        var call = Assert.Single(cloud.Sts.Calls, c => c.RoleSessionName == vend.Json.GetProperty("leaseId").GetString());

        var body = preview.Json;
        Assert.Equal(JsonValueKind.Object, body.GetProperty("sessionPolicy").ValueKind);
        Assert.Equal(call.Policy, body.GetProperty("sessionPolicy").GetRawText());
        Assert.Equal(call.Policy!.Length, body.GetProperty("sessionPolicyLength").GetInt32());
        Assert.Equal(call.Tags, body.GetProperty("sessionTags").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)));
        Assert.Equal(call.RoleArn, body.GetProperty("roleArn").GetString());
        Assert.Equal(call.DurationSeconds, body.GetProperty("durationSeconds").GetInt32());
        Assert.Equal("assumeRole", body.GetProperty("mode").GetString());
        Assert.Equal(["files:read", "files:write"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(vend.Json.GetProperty("scopes").GetRawText(), body.GetProperty("scopes").GetRawText());
        Assert.Empty(body.GetProperty("sharedScopes").EnumerateArray());
        Assert.Empty(body.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task A_stored_document_the_lint_would_now_refuse_previews_with_its_findings_as_warnings()
    {
        var tenant = await cloud.OnboardAsync();

        // As if the lint had grown stricter since the PUT: the stored document names an action IAM does not have.
        var key = new Dictionary<string, AttributeValue> { ["tenantId"] = new() { S = tenant } };
        var item = (await cloud.Dynamo.GetItemAsync(new GetItemRequest { TableName = cloud.TenantsTable, Key = key, ConsistentRead = true })).Item;
        item["document"] = new() { S = item["document"].S.Replace("s3:GetObject", "s3:GetObjekt", StringComparison.Ordinal) };
        await cloud.Dynamo.PutItemAsync(new PutItemRequest { TableName = cloud.TenantsTable, Item = item });

        var answer = await Preview(tenant, Claims(tenant, "alice"));

        Assert.Equal(200, answer.Status);
        var warning = Assert.Single(answer.Json.GetProperty("warnings").EnumerateArray());
        Assert.StartsWith("scopes.files:read.statements[0]", warning.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(warning.GetProperty("message").GetString()));
        Assert.Contains("s3:GetObjekt", answer.Json.GetProperty("sessionPolicy").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_scopes_the_preview_is_of_the_default_scopes_and_names_the_shared_ones()
    {
        var tenant = await cloud.OnboardAsync(change: d =>
        {
            d["scopes"]!["assets:read"] = new JsonObject
            {
                ["shared"] = true,
                ["statements"] = new JsonArray(new JsonObject
                {
                    ["Effect"] = "Allow", ["Action"] = new JsonArray("s3:GetObject"), ["Resource"] = new JsonArray("arn:aws:s3:::shared-assets/*"),
                }),
            };
            d["defaultScopes"] = new JsonArray("files:read", "assets:read");
        });

        var answer = await Preview(tenant, Claims(tenant, "alice"));

        Assert.Equal(200, answer.Status);
        Assert.Equal(["files:read", "assets:read"], answer.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["assets:read"], answer.Json.GetProperty("sharedScopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(900, answer.Json.GetProperty("durationSeconds").GetInt32());
    }

    [Fact]
    public async Task A_web_identity_tenants_preview_has_no_session_tags_as_sts_takes_none()
    {
        var tenant = await cloud.OnboardAsync("webIdentity");

        var answer = await Preview(tenant, Claims(tenant, "carol"));

        Assert.Equal(200, answer.Status);
        Assert.Equal("webIdentity", answer.Json.GetProperty("mode").GetString());
        Assert.Empty(answer.Json.GetProperty("sessionTags").EnumerateObject());
        var warning = Assert.Single(answer.Json.GetProperty("warnings").EnumerateArray());
        Assert.Equal("issuance.mode", warning.GetProperty("path").GetString());
        Assert.Contains("anyone holding it can make that call directly", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_web_identity_preview_with_a_tags_claim_of_another_tenant_is_refused_as_vend_refuses_it()
    {
        var tenant = await cloud.OnboardAsync("webIdentity");
        var claims = Claims(tenant, "carol");
        claims["https://aws.amazon.com/tags"] = new JsonObject
        {
            ["principal_tags"] = new JsonObject { ["Tenant"] = new JsonArray("someone-else") },
        };

        var answer = await Preview(tenant, claims);

        Assert.Equal(403, answer.Status);
        Assert.Equal("tenant_mismatch", answer.Json.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("[\"nope\"]", null, "alice", null, 400, "invalid_scope")]
    [InlineData("[\"files:write\"]", null, "alice", null, 403, "scope_not_permitted")]
    [InlineData(null, 100, "alice", null, 400, "invalid_duration")]
    [InlineData(null, 7200, "alice", null, 400, "invalid_duration")]
    [InlineData(null, null, "alice*", null, 403, "unusable_claim")]
    [InlineData(null, null, "alice", "another-tenant", 403, "tenant_mismatch")]
    [InlineData(null, null, null, null, 400, "invalid_request")]
    public async Task A_preview_is_refused_as_a_real_request_would_be(string? scopes, int? duration, string? subject, string? tenantClaim, int status, string code)
    {
        var tenant = await cloud.OnboardAsync();
        var claims = Claims(tenant, subject);
        if (tenantClaim is not null)
        {
            claims["tenant"] = tenantClaim;
        }

        var answer = await Preview(tenant, claims, scopes, duration);

        Assert.Equal((status, code), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task An_unknown_or_suspended_tenant_is_refused_as_a_real_request_would_be()
    {
        var suspended = await cloud.OnboardAsync(change: d => d["status"] = "suspended");

        var missing = await Preview("no-such-tenant", Claims("no-such-tenant", "alice"));
        var refused = await Preview(suspended, Claims(suspended, "alice"));

        Assert.Equal((404, "tenant_not_found"), (missing.Status, missing.Code));
        Assert.Equal((403, "tenant_suspended"), (refused.Status, refused.Code));
    }

    [Theory]
    [InlineData("{\"claims\":{\"sub\":\"alice\"},\"extra\":true}")]
    [InlineData("{\"claims\":\"sub=alice\"}")]
    [InlineData("{\"claims\":{\"sub\":\"alice\"},\"scopes\":\"files:read\"}")]
    [InlineData("{\"claims\":{\"sub\":\"alice\"},\"durationSeconds\":\"900\"}")]
    [InlineData("")]
    public async Task A_malformed_body_is_400_invalid_request(string body)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Admin("POST", $"/admin/tenants/{tenant}/preview", body));

        Assert.Equal((400, "invalid_request"), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task A_caller_not_in_admin_principal_arns_is_403_forbidden()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Admin("POST", $"/admin/tenants/{tenant}/preview", new JsonObject { ["claims"] = Claims(tenant, "alice") }.ToJsonString(), iamArn: "arn:aws:iam::123456789012:user/intern"));

        Assert.Equal((403, "forbidden"), (answer.Status, answer.Code));
    }

    private static JsonObject Claims(string tenant, string? subject, params string[] groups)
    {
        var claims = new JsonObject { ["tenant"] = tenant, ["groups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]) };
        if (subject is not null)
        {
            claims["sub"] = subject;
        }

        return claims;
    }

    private Task<Answer> Preview(string tenant, JsonObject claims, string? scopes = null, int? durationSeconds = null)
    {
        var body = new JsonObject { ["claims"] = claims };
        if (scopes is not null)
        {
            body["scopes"] = JsonNode.Parse(scopes);
        }

        if (durationSeconds is { } seconds)
        {
            body["durationSeconds"] = seconds;
        }

        return cloud.SendAsync(Requests.Admin("POST", $"/admin/tenants/{tenant}/preview", body.ToJsonString()));
    }
}
