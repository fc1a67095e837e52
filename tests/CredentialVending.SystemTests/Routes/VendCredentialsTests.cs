using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>POST and GET /v1/tenants/{tenantId}/credentials: the happy paths, through the real bootstrap.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class VendCredentialsTests(LocalCloud cloud)
{
    [Fact]
    public async Task Assume_role_credentials_come_with_a_lease_written_before_the_answer()
    {
        var tenant = await cloud.OnboardAsync();
        var token = cloud.Token(tenant, "alice");

        var answer = await cloud.SendAsync(Requests.Vend(tenant, token));

        Assert.Equal(200, answer.Status);
        Assert.Equal("no-store", answer.Header("cache-control"));
        var body = answer.Json;
        var leaseId = body.GetProperty("leaseId").GetString()!;
        Assert.Matches("^[0-7][0-9A-HJKMNP-TV-Z]{25}$", leaseId);
        Assert.Equal(tenant, body.GetProperty("tenantId").GetString());
        Assert.Equal("alice", body.GetProperty("subject").GetString());
        Assert.Equal(["files:read"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var credentials = body.GetProperty("credentials");
        Assert.Matches("^ASIA[A-Z0-9]{16}$", credentials.GetProperty("accessKeyId").GetString());
        Assert.Equal(40, credentials.GetProperty("secretAccessKey").GetString()!.Length);
        Assert.False(string.IsNullOrEmpty(credentials.GetProperty("sessionToken").GetString()));
        Assert.True(DateTimeOffset.Parse(credentials.GetProperty("expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(14));
        Assert.Equal($"arn:aws:sts::123456789012:assumed-role/tenant-{tenant}/{leaseId}", body.GetProperty("assumedRoleArn").GetString());
        Assert.Equal("us-east-1", body.GetProperty("stsRegion").GetString());

        var items = await cloud.LeaseItemsAsync(tenant);
        var item = Assert.Single(items);
        Assert.Equal(leaseId, item["leaseId"].S);
        Assert.Equal(credentials.GetProperty("accessKeyId").GetString(), item["accessKeyId"].S);
        Assert.Equal($"{tenant}#alice", item["tenantSubject"].S);
        Assert.Equal("198.51.100.7", item["sourceIp"].S);
        Assert.Equal("credvend-tests/1.0", item["userAgent"].S);
        Assert.Equal("assumeRole", item["mode"].S);
        Assert.Equal(64, item["policySha256"].S.Length);
        Assert.True(long.Parse(item["ttl"].N, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddDays(399).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Sts_is_asked_with_the_lease_id_the_rendered_policy_the_external_id_the_source_identity_and_the_tags()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, "bob", ["editors"]), "{\"scopes\":[\"files:read\",\"files:write\"],\"durationSeconds\":1800}"));

        Assert.Equal(200, answer.Status);
        var leaseId = answer.Json.GetProperty("leaseId").GetString();
        var call = Assert.Single(cloud.Sts.Calls, c => c.RoleSessionName == leaseId);
        Assert.Equal("AssumeRole", call.Action);
        Assert.Equal($"arn:aws:iam::123456789012:role/tenant-{tenant}", call.RoleArn);
        Assert.Equal($"{tenant}-7f3c", call.ExternalId);
        Assert.Equal("bob", call.SourceIdentity);
        Assert.Equal(1800, call.DurationSeconds);
        var policy = JsonDocument.Parse(call.Policy!).RootElement;
        Assert.Equal("2012-10-17", policy.GetProperty("Version").GetString());
        var resources = policy.GetProperty("Statement").EnumerateArray().SelectMany(s => s.GetProperty("Resource").EnumerateArray()).Select(r => r.GetString()).ToArray();
        Assert.All(resources, r => Assert.Equal($"arn:aws:s3:::acme-data/{tenant}/bob/*", r));
        Assert.Equal(2, resources.Length);
        Assert.Contains(call.Tags, t => t.Key == "tenant" && t.Value == tenant);
        Assert.Contains(call.Tags, t => t.Key == "subject" && t.Value == "bob");
    }

    [Fact]
    public async Task The_credential_process_format_is_what_the_aws_cli_reads()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant), query: "format=credential_process", method: "GET"));

        Assert.Equal(200, answer.Status);
        var body = answer.Json;
        Assert.Equal(1, body.GetProperty("Version").GetInt32());
        Assert.StartsWith("ASIA", body.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        Assert.Equal(40, body.GetProperty("SecretAccessKey").GetString()!.Length);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("SessionToken").GetString()));
        Assert.EndsWith("Z", body.GetProperty("Expiration").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, body.EnumerateObject().Count());
    }

    [Fact]
    public async Task The_container_format_is_what_the_sdks_container_provider_reads()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, null, query: "format=container&scopes=files:read", method: "GET", authorization: "Bearer " + cloud.Token(tenant)));

        Assert.Equal(200, answer.Status);
        Assert.Equal("no-store", answer.Header("cache-control"));
        var body = answer.Json;
        Assert.StartsWith("ASIA", body.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("Token").GetString()));
        Assert.StartsWith($"arn:aws:sts::123456789012:assumed-role/tenant-{tenant}/", body.GetProperty("RoleArn").GetString(), StringComparison.Ordinal);
        Assert.Equal(["AccessKeyId", "SecretAccessKey", "Token", "Expiration", "RoleArn"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Web_identity_credentials_pass_the_callers_token_to_sts_unsigned_with_no_tags()
    {
        var tenant = await cloud.OnboardAsync("webIdentity");

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, "carol")));

        Assert.Equal(200, answer.Status);
        var leaseId = answer.Json.GetProperty("leaseId").GetString();
        var call = Assert.Single(cloud.Sts.Calls, c => c.RoleSessionName == leaseId);
        Assert.Equal("AssumeRoleWithWebIdentity", call.Action);
        Assert.True(call.HadWebIdentityToken);
        Assert.False(call.Signed);
        Assert.Empty(call.Tags);
        var item = Assert.Single(await cloud.LeaseItemsAsync(tenant));
        Assert.Equal("webIdentity", item["mode"].S);
    }

    [Fact]
    public async Task Without_a_body_the_default_scopes_and_duration_are_used()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        var item = Assert.Single(await cloud.LeaseItemsAsync(tenant));
        Assert.Equal(200, answer.Status);
        Assert.Equal("900", item["durationSeconds"].N);
        Assert.Equal("files:read", Assert.Single(item["scopes"].L).S);
    }

    [Fact]
    public async Task No_ledger_item_and_no_log_line_holds_a_secret_a_session_token_or_the_callers_jwt()
    {
        var tenant = await cloud.OnboardAsync();
        var token = cloud.Token(tenant, "dave");

        var answer = await cloud.SendAsync(Requests.Vend(tenant, token));
        var refused = await cloud.SendAsync(Requests.Vend(tenant, token, "{\"scopes\":[\"files:write\"]}"));

        Assert.Equal(200, answer.Status);
        Assert.Equal(403, refused.Status);
        var credentials = answer.Json.GetProperty("credentials");
        string[] secrets = [credentials.GetProperty("secretAccessKey").GetString()!, credentials.GetProperty("sessionToken").GetString()!, token, token.Split('.')[2]];
        var items = await cloud.LeaseItemsAsync(tenant);
        var ledger = string.Join('\n', items.SelectMany(i => i.Values).Select(v => v.S ?? v.N ?? string.Join(',', v.L?.Select(x => x.S) ?? [])));
        var logs = string.Join('\n', cloud.Logs);
        Assert.NotEmpty(logs);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, ledger, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, refused.Body, StringComparison.Ordinal);
        }
    }
}
