using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.SystemTests.Routes;

/// <summary>GET /v1/tenants/{tenantId}/leases and .../leases/{leaseId}, through the real bootstrap.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class LeasesTests(LocalCloud cloud)
{
    private static readonly string[] LeaseFields =
    [
        "leaseId", "tenantId", "subject", "issuer", "scopes", "mode", "roleArn", "assumedRoleArn", "accessKeyId", "issuedAt",
        "expiresAt", "durationSeconds", "stsRegion", "policySha256", "packedPolicySize", "sourceIp", "userAgent", "requestId",
    ];

    [Fact]
    public async Task Leases_come_newest_first_and_page_through_the_cursor_to_a_null_next_cursor()
    {
        var tenant = await cloud.OnboardAsync();
        var issued = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            issued.Add((await VendAsync(tenant, i % 2 == 0 ? "alice" : "bob")).LeaseId);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var answer = await cloud.SendAsync(List(tenant, Admin(tenant), "limit=2" + (cursor is null ? string.Empty : "&cursor=" + cursor)));
            Assert.Equal(200, answer.Status);
            var items = answer.Json.GetProperty("items").EnumerateArray().ToArray();
            Assert.True(items.Length <= 2);
            seen.AddRange(items.Select(i => i.GetProperty("leaseId").GetString()!));
            var next = answer.Json.GetProperty("nextCursor");
            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(issued), seen);
    }

    [Fact]
    public async Task A_lease_has_exactly_the_fields_of_the_contract_and_never_a_secret()
    {
        var tenant = await cloud.OnboardAsync();
        var (leaseId, vend) = await VendAsync(tenant, "alice");

        var one = await cloud.SendAsync(Get(tenant, Admin(tenant), leaseId));
        var list = await cloud.SendAsync(List(tenant, Admin(tenant)));

        Assert.Equal(200, one.Status);
        Assert.Equal(LeaseFields, one.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(one.Json.GetRawText(), Assert.Single(list.Json.GetProperty("items").EnumerateArray()).GetRawText());
        Assert.Equal(vend.GetProperty("credentials").GetProperty("accessKeyId").GetString(), one.Json.GetProperty("accessKeyId").GetString());
        Assert.Equal("alice", one.Json.GetProperty("subject").GetString());
        Assert.Equal(cloud.Issuer.Issuer, one.Json.GetProperty("issuer").GetString());
        Assert.Equal("198.51.100.7", one.Json.GetProperty("sourceIp").GetString());
        Assert.Equal(64, one.Json.GetProperty("policySha256").GetString()!.Length);
        Assert.DoesNotContain(vend.GetProperty("credentials").GetProperty("secretAccessKey").GetString()!, one.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(vend.GetProperty("credentials").GetProperty("sessionToken").GetString()!, one.Body, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, list.Json.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task One_lease_of_another_tenant_or_an_unknown_id_is_404_not_found()
    {
        var tenant = await cloud.OnboardAsync();
        var other = await cloud.OnboardAsync();
        var (theirs, _) = await VendAsync(other, "alice");

        foreach (var leaseId in new[] { theirs, "01JDQ3ZV7W5K8Q4T0N9B2XG6AC", "not-a-lease" })
        {
            var answer = await cloud.SendAsync(Get(tenant, Admin(tenant), leaseId));
            Assert.Equal(404, answer.Status);
            Assert.Equal("not_found", answer.Code);
        }
    }

    [Fact]
    public async Task The_subject_filter_reads_the_subjects_leases_only_newest_first()
    {
        var tenant = await cloud.OnboardAsync();
        var alice1 = (await VendAsync(tenant, "alice")).LeaseId;
        await VendAsync(tenant, "bob");
        var alice2 = (await VendAsync(tenant, "alice")).LeaseId;

        var answer = await cloud.SendAsync(List(tenant, Admin(tenant), "subject=alice"));

        Assert.Equal(200, answer.Status);
        Assert.Equal([alice2, alice1], Ids(answer));
        Assert.All(answer.Json.GetProperty("items").EnumerateArray(), i => Assert.Equal("alice", i.GetProperty("subject").GetString()));
    }

    [Fact]
    public async Task The_access_key_filter_finds_the_tenants_lease_and_never_another_tenants()
    {
        var tenant = await cloud.OnboardAsync();
        var other = await cloud.OnboardAsync();
        var (mine, vend) = await VendAsync(tenant, "alice");
        await VendAsync(tenant, "alice");
        var theirs = (await VendAsync(other, "alice")).Vend.GetProperty("credentials").GetProperty("accessKeyId").GetString();

        var found = await cloud.SendAsync(List(tenant, Admin(tenant), "accessKeyId=" + vend.GetProperty("credentials").GetProperty("accessKeyId").GetString()));
        var foreign = await cloud.SendAsync(List(tenant, Admin(tenant), "accessKeyId=" + theirs));

        Assert.Equal([mine], Ids(found));
        Assert.Empty(Ids(foreign));
        Assert.Equal(JsonValueKind.Null, foreign.Json.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Since_and_until_bound_the_issue_time_both_inclusive()
    {
        var tenant = await cloud.OnboardAsync();
        await VendAsync(tenant, "alice");
        await Task.Delay(30);
        var since = DateTimeOffset.UtcNow;
        var inside = new[] { (await VendAsync(tenant, "alice")).LeaseId, (await VendAsync(tenant, "bob")).LeaseId };
        var until = DateTimeOffset.UtcNow;
        await Task.Delay(30);
        await VendAsync(tenant, "alice");

        var answer = await cloud.SendAsync(List(tenant, Admin(tenant), $"since={Iso(since)}&until={Iso(until)}"));
        var sinceOnly = await cloud.SendAsync(List(tenant, Admin(tenant), $"since={Iso(since)}"));
        var bySubject = await cloud.SendAsync(List(tenant, Admin(tenant), $"subject=alice&since={Iso(since)}&until={Iso(until)}"));

        Assert.Equal(inside.Reverse(), Ids(answer));
        Assert.Equal(3, Ids(sinceOnly).Count);
        Assert.Equal([inside[0]], Ids(bySubject));
    }

    [Fact]
    public async Task A_cursor_from_another_tenant_another_query_or_edited_by_hand_is_400_invalid_request()
    {
        var tenant = await cloud.OnboardAsync();
        var other = await cloud.OnboardAsync();
        for (var i = 0; i < 3; i++)
        {
            await VendAsync(tenant, "alice");
            await VendAsync(other, "alice");
        }

        var cursor = (await cloud.SendAsync(List(tenant, Admin(tenant), "limit=1"))).Json.GetProperty("nextCursor").GetString()!;
        var edited = cursor[..^2] + (cursor[^2] == 'A' ? 'B' : 'A') + cursor[^1];

        var answers = new[]
        {
            await cloud.SendAsync(List(other, Admin(other), "limit=1&cursor=" + cursor)),
            await cloud.SendAsync(List(tenant, Admin(tenant), "limit=1&subject=alice&cursor=" + cursor)),
            await cloud.SendAsync(List(tenant, Admin(tenant), "limit=1&since=2020-01-01T00:00:00Z&cursor=" + cursor)),
            await cloud.SendAsync(List(tenant, Admin(tenant), "limit=1&cursor=" + edited)),
            await cloud.SendAsync(List(tenant, Admin(tenant), "limit=1&cursor=not-a-cursor")),
        };

        Assert.All(answers, a => Assert.Equal((400, "invalid_request"), (a.Status, a.Code)));
        var sameQueryOtherLimit = await cloud.SendAsync(List(tenant, Admin(tenant), "limit=5&cursor=" + cursor));
        Assert.Equal(2, Ids(sameQueryOtherLimit).Count);
    }

    [Fact]
    public async Task Rate_counters_in_the_same_table_never_show_as_leases()
    {
        var tenant = await cloud.OnboardAsync(change: d => d["limits"] = new JsonObject { ["requestsPerMinute"] = 100 });
        var leaseId = (await VendAsync(tenant, "alice")).LeaseId;

        Assert.Equal([leaseId], Ids(await cloud.SendAsync(List(tenant, Admin(tenant)))));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=ten")]
    [InlineData("since=yesterday")]
    [InlineData("since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z")]
    [InlineData("accessKeyId=ASIA!")]
    [InlineData("owner=alice")]
    public async Task A_bad_query_parameter_is_400_invalid_request(string query)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(List(tenant, Admin(tenant), query));

        Assert.Equal((400, "invalid_request"), (answer.Status, answer.Code));
    }

    [Theory]
    [InlineData(2048, 200)]
    [InlineData(2049, 400)]
    public async Task A_subject_filter_is_taken_up_to_dynamodbs_key_limit_in_utf8_bytes(int keyBytes, int status)
    {
        var tenant = await cloud.OnboardAsync();
        var room = keyBytes - tenant.Length - 1;
        var subject = string.Concat(Enumerable.Repeat("\u00e9", room / 2)) + (room % 2 == 1 ? "a" : string.Empty);

        var answer = await cloud.SendAsync(List(tenant, Admin(tenant), "subject=" + Uri.EscapeDataString(subject)));

        Assert.Equal(status, answer.Status);
        Assert.Equal(status == 200 ? null : "invalid_request", answer.Code);
    }

    [Fact]
    public async Task Without_the_leases_permission_the_answer_is_403_forbidden_and_without_a_token_401()
    {
        var tenant = await cloud.OnboardAsync();
        var (leaseId, _) = await VendAsync(tenant, "alice");
        var user = cloud.Token(tenant, "alice", ["editors"]);

        var list = await cloud.SendAsync(List(tenant, user));
        var one = await cloud.SendAsync(Get(tenant, user, leaseId));
        var anonymous = await cloud.SendAsync(List(tenant, null));
        var foreign = await cloud.SendAsync(List(tenant, Admin(await cloud.OnboardAsync())));

        Assert.Equal((403, "forbidden"), (list.Status, list.Code));
        Assert.Equal((403, "forbidden"), (one.Status, one.Code));
        Assert.Equal((401, "invalid_token"), (anonymous.Status, anonymous.Code));
        Assert.Equal((403, "tenant_mismatch"), (foreign.Status, foreign.Code));
        Assert.DoesNotContain(leaseId, list.Body + one.Body, StringComparison.Ordinal);
    }

    private string Admin(string tenant) => cloud.Token(tenant, "ops", ["admins"]);

    private async Task<(string LeaseId, JsonElement Vend)> VendAsync(string tenant, string subject)
    {
        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, subject)));
        Assert.Equal(200, answer.Status);
        return (answer.Json.GetProperty("leaseId").GetString()!, answer.Json);
    }

    private static List<string> Ids(Answer answer) =>
        [.. answer.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("leaseId").GetString()!)];

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static HttpApiRequest List(string tenant, string? token, string query = "") => Operator($"/v1/tenants/{tenant}/leases", token, query);

    private static HttpApiRequest Get(string tenant, string? token, string leaseId) => Operator($"/v1/tenants/{tenant}/leases/{leaseId}", token, string.Empty);

    private static HttpApiRequest Operator(string path, string? token, string query) => new()
    {
        Method = "GET",
        Path = path,
        RawQueryString = query,
        Headers = token is null ? [] : [new("Authorization", "Bearer " + token)],
    };
}
