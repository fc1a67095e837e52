using System.Text;
using System.Text.Json;
using CredentialVending.Functions.Http;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using FsCheck;
using FsCheck.Fluent;

namespace CredentialVending.SystemTests.Hostile.Fuzz;

/// <summary>
/// Valid events of every route, with good tokens and signatures, a few things changed, sent to the real bootstrap of
/// each function with its real dependencies (the local cloud): every one is answered (no crash, no timeout) with a
/// 2xx or a problem+json 4xx, never a 5xx. A tenth of CREDVEND_FUZZ_RUNS sets the number of cases (each is a real
/// invocation, about 10 ms here).
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Soak")]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class BootstrapEventFuzzTests(LocalCloud cloud)
{
    [Fact]
    public async Task Valid_events_with_a_few_things_changed_are_answered_by_every_function_without_a_5xx()
    {
        var tenant = await cloud.OnboardAsync();
        var seeds = Seeds(tenant).ToArray();
        var property = Prop.ForAll(Arb.From(EventMutations.Changes(seeds.Length)), c =>
        {
            var (function, seed) = seeds[c.Seed];
            return Check(function, EventMutations.Apply(seed, c.Changes));
        });

        await Task.Run(() => FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(Math.Max(200, EventMutations.Runs(2_000) / 10)).WithQuietOnSuccess(true), property));
    }

    [Fact]
    public async Task The_seeds_themselves_are_answered_without_a_5xx()
    {
        var tenant = await cloud.OnboardAsync();

        foreach (var (function, seed) in Seeds(tenant))
        {
            Assert.True(Check(function, seed));
        }

        Assert.NotEmpty(await cloud.AllLeaseItemsAsync(tenant));
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);

    private IEnumerable<(string Function, byte[] Event)> Seeds(string tenant)
    {
        var token = cloud.Token(tenant, "alice", ["admins", "editors"]);
        Witness.Authorization("Bearer " + token);
        var putTenant = Requests.NewTenantId("fz");
        var now = DateTimeOffset.UtcNow;
        foreach (var route in RouteTable.All)
        {
            var path = route.Path
                .Replace("/admin/tenants/{tenantId}", $"/admin/tenants/{(route.Method == "PUT" ? putTenant : tenant)}", StringComparison.Ordinal)
                .Replace("{tenantId}", tenant, StringComparison.Ordinal)
                .Replace("{leaseId}", "01JDQ3ZV7W5K8Q4T0N9B2XG6AC", StringComparison.Ordinal);
            var body = (route.Method, route.Path) switch
            {
                ("PUT", _) => Requests.TenantDocument(putTenant, cloud.Issuer.Issuer).ToJsonString(),
                (_, "/admin/tenants/{tenantId}/preview") => "{\"claims\":{\"sub\":\"alice\",\"tenant\":\"" + tenant + "\",\"groups\":[\"editors\"]},\"scopes\":[\"files:read\"]}",
                (_, "/v1/tenants/{tenantId}/decode") => "{\"encodedMessage\":\"not-an-encoded-message\"}",
                ("POST", _) => "{\"scopes\":[\"files:read\",\"files:write\"],\"durationSeconds\":900}",
                _ => null,
            };
            var query = route.Path switch
            {
                "/admin/leases" => "accessKeyId=ASIAEXAMPLE000000000",
                "/v1/tenants/{tenantId}/leases" => "limit=5&subject=alice",
                "/v1/tenants/{tenantId}/credentials" when route.Method == "GET" => "format=container&scopes=files:read",
                _ => string.Empty,
            };
            var request = route.Function == RouteTable.Admin
                ? Requests.Admin(route.Method, path, body, query: query)
                : Requests.Vend(tenant, token, body, query, route.Method) with { Path = path };
            var parameters = RouteMatcher.TryMatch(route.Path, path, out var found) ? found : null;
            yield return (route.Function, HttpApiEvent.Create(request with { RouteKey = route.RouteKey, PathParameters = parameters }, now));
        }
    }

    private bool Check(string function, byte[] payload)
    {
        var instance = cloud.FunctionAsync(function).GetAwaiter().GetResult();
        var result = instance.InvokeAsync(payload).GetAwaiter().GetResult();
        var text = Encoding.UTF8.GetString(payload);
        bool Fail(string why) => throw new Xunit.Sdk.XunitException($"{function}: {why}\nevent: {text[..Math.Min(text.Length, 4000)]}");
        if (!result.Succeeded)
        {
            return Fail($"the invocation failed: {result.ErrorType} {result.ErrorBody}");
        }

        var answer = Answer.Parse(result.Response!);
        Witness.Saw(answer.Status, answer.Body, answer.Headers.Select(h => $"{h.Key}: {h.Value}"));
        if (answer.Status is < 200 or >= 500 or (>= 300 and < 400))
        {
            return Fail($"answered {answer}");
        }

        try
        {
            return answer.Status < 400 || (answer.Header("content-type") == "application/problem+json" && answer.Json.GetProperty("status").GetInt32() == answer.Status)
                || Fail($"answered {answer.Status} without a matching problem+json: {answer.Body}");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Fail($"answered {answer.Status} with a body that is not JSON: {answer.Body}");
        }
    }
}
