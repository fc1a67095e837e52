using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// Scope lists, durations and query strings at and past their limits: the documented 4xx with nothing issued or
/// written, or a 200 with exactly one lease where the request is valid. Repeated scopes collapse, and scopes keep the
/// document's order (docs/decisions.md "Scopes and rendering").
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class HostileRequestTests(LocalCloud cloud)
{
    [Theory]
    [InlineData("vend")]
    [InlineData("leases")]
    [InlineData("admin")]
    public async Task An_event_escaping_a_lone_surrogate_in_a_header_is_400_invalid_request_and_nothing_is_issued(string handler)
    {
        var tenant = await cloud.OnboardAsync();
        var request = Requests.Vend(tenant, cloud.Token(tenant)) with
        {
            RouteKey = "POST /v1/tenants/{tenantId}/credentials",
            PathParameters = new Dictionary<string, string> { ["tenantId"] = tenant },
        };
        var json = System.Text.Encoding.UTF8.GetString(CredentialVending.Local.ApiGateway.HttpApiEvent.Create(request, DateTimeOffset.UtcNow));
        Assert.Contains("credvend-tests/1.0", json, StringComparison.Ordinal);
        var payload = System.Text.Encoding.UTF8.GetBytes(json.Replace("credvend-tests/1.0", "credvend\\ud800tests", StringComparison.Ordinal));
        var calls = cloud.StsCalls();

        var answer = await cloud.InvokeAsync(handler, payload);

        Assert.True(answer.Status == 400 && answer.Code == "invalid_request", answer.ToString());
        Assert.Equal(calls, cloud.StsCalls());
        Assert.Empty(await cloud.AllLeaseItemsAsync(tenant));
    }

    [Fact]
    public async Task Ten_thousand_unknown_scope_names_are_400_invalid_scope_with_a_short_detail()
    {
        var tenant = await cloud.OnboardAsync();
        var names = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"s{i}"));

        var answer = await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(tenant), method: "GET", query: "scopes=" + names), 400, "invalid_scope");

        Assert.InRange(answer.Body.Length, 1, 1024);
    }

    [Fact]
    public async Task Ten_thousand_scope_names_in_a_body_are_past_64_KiB_and_413()
    {
        var tenant = await cloud.OnboardAsync();
        var body = JsonSerializer.Serialize(new { scopes = Enumerable.Range(0, 10_000).Select(i => $"scope-{i}") });

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(tenant), body), 413, "payload_too_large");
    }

    [Theory]
    [InlineData("GET", 10_000)]
    [InlineData("POST", 4_000)]
    public async Task Repeated_scope_names_collapse_into_one_scope_and_one_lease(string method, int repeats)
    {
        var tenant = await cloud.OnboardAsync();
        var request = method == "GET"
            ? Requests.Vend(tenant, cloud.Token(tenant), method: "GET", query: "scopes=" + string.Join(',', Enumerable.Repeat("files:read", repeats)))
            : Requests.Vend(tenant, cloud.Token(tenant), JsonSerializer.Serialize(new { scopes = Enumerable.Repeat("files:read", repeats) }));

        var answer = await cloud.SendSeenAsync(request);

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Equal(["files:read"], answer.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var call = Assert.Single(cloud.Sts.Calls, c => c.RoleSessionName == answer.Json.GetProperty("leaseId").GetString());
        Assert.Single(JsonDocument.Parse(call.Policy!).RootElement.GetProperty("Statement").EnumerateArray());
        await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
    }

    [Theory]
    [InlineData("scopes=files:write,files:read,files:write", null)]
    [InlineData("scopes=files:write&scopes=files:read", null)]
    [InlineData("scopes=files:write", "{\"scopes\":[\"files:read\",\"files:write\"]}")]
    public async Task Scopes_asked_in_any_order_or_place_come_in_the_documents_order(string query, string? body)
    {
        var tenant = await cloud.OnboardAsync();
        var token = cloud.Token(tenant, groups: ["editors"]);

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, token, body, query, body is null ? "GET" : "POST"));

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Equal(["files:read", "files:write"], answer.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
    }

    [Theory]
    [InlineData(3600, 900, 200)]
    [InlineData(3600, 901, 200)]
    [InlineData(3600, 3599, 200)]
    [InlineData(3600, 3600, 200)]
    [InlineData(43200, 899, 400)]
    [InlineData(43200, 900, 200)]
    [InlineData(43200, 43199, 200)]
    [InlineData(43200, 43200, 200)]
    [InlineData(43200, 43201, 400)]
    [InlineData(900, 900, 200)]
    [InlineData(900, 901, 400)]
    public async Task A_duration_is_taken_from_900_to_the_tenants_maximum_and_sts_is_asked_for_exactly_it(int max, int seconds, int status)
    {
        var tenant = await cloud.OnboardAsync(change: d => d["issuance"]!["maxDurationSeconds"] = max);
        foreach (var (method, body, query) in new[] { ("POST", $"{{\"durationSeconds\":{seconds}}}", string.Empty), ("GET", null, $"durationSeconds={seconds}") })
        {
            var request = Requests.Vend(tenant, cloud.Token(tenant), body, query, method);
            if (status == 400)
            {
                await cloud.AssertRefusedAsync(tenant, request, 400, "invalid_duration");
                continue;
            }

            var answer = await cloud.SendSeenAsync(request);
            Assert.True(answer.Status == 200, answer.ToString());
            var call = Assert.Single(cloud.Sts.Calls, c => c.RoleSessionName == answer.Json.GetProperty("leaseId").GetString());
            Assert.Equal(seconds, call.DurationSeconds);
        }
    }

    [Theory]
    [InlineData("durationSeconds=+900")]
    [InlineData("durationSeconds=-900")]
    [InlineData("durationSeconds=%20900")]
    [InlineData("durationSeconds=900.0")]
    [InlineData("durationSeconds=9e2")]
    [InlineData("durationSeconds=2147483648")]
    [InlineData("durationSeconds=")]
    [InlineData("durationSeconds")]
    [InlineData("format=json&format=json")]
    [InlineData("format=JSON")]
    [InlineData("Scopes=files:read")]
    [InlineData("scopes=files:read&durationSeconds=900&durationSeconds=900")]
    [InlineData("scopes=files:read&tenantId=other")]
    public async Task A_bad_or_repeated_query_parameter_is_400_invalid_request(string query)
    {
        var tenant = await cloud.OnboardAsync();

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(tenant), method: "GET", query: query), 400, "invalid_request");
    }

    [Theory]
    [InlineData("scopes=")]
    [InlineData("scopes=,,,")]
    public async Task An_empty_scope_list_in_the_query_means_the_default_scopes(string query)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant), method: "GET", query: query));

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Equal(["files:read"], answer.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task A_scope_name_made_of_policy_metacharacters_is_400_invalid_scope_and_not_echoed()
    {
        var tenant = await cloud.OnboardAsync(change: d => d["scopes"]!["files:read"]!["grantedTo"] = new JsonObject { ["claim"] = "groups", ["anyOf"] = new JsonArray("readers") });
        const string name = "files:read\",\"*";

        var answer = await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(tenant), JsonSerializer.Serialize(new { scopes = new[] { name } })), 400, "invalid_scope");

        Assert.DoesNotContain(name, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);
}
