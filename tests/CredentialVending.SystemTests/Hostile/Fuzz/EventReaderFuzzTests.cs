using CredentialVending.Functions.Http;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using FsCheck;
using FsCheck.Fluent;

namespace CredentialVending.SystemTests.Hostile.Fuzz;

/// <summary>
/// The event reader and the routes in front of every dependency, in this process: arbitrary bytes and valid events
/// with a few things changed never throw and are always answered with a 2xx or a problem+json 4xx, never a 500.
/// CREDVEND_FUZZ_RUNS sets the number of cases (the soak run asks for 100,000).
/// </summary>
[Trait("Category", "Soak")]
public sealed class EventReaderFuzzTests
{
    // Tokens that never pass the form check, so no tenant is ever looked up (the in-process host has no DynamoDB).
    private static readonly string[] Authorizations =
    [
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", "Bearer e30.e30.e30.e30.e30", "Basic YWxpY2U6cHc=", "Bearer", "bearer not-a-jwt",
    ];

    public static TheoryData<string> Functions => [.. RouteTable.Functions];

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task Arbitrary_bytes_are_answered_with_a_4xx_problem_and_never_throw(string function)
    {
        var host = new InProcessHost(function);
        var property = Prop.ForAll(Arb.From(EventMutations.Bytes), bytes => Check(host, bytes));

        await Task.Run(() => FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(EventMutations.Runs(300)).WithQuietOnSuccess(true), property));
    }

    [Theory]
    [InlineData("vend")]
    [InlineData("admin")]
    public async Task Valid_events_with_a_few_things_changed_are_answered_and_never_throw(string function)
    {
        var host = new InProcessHost(function);
        var seeds = Seeds(function);
        var property = Prop.ForAll(Arb.From(EventMutations.Changes(seeds.Length)), c => Check(host, EventMutations.Apply(seeds[c.Seed], c.Changes)));

        await Task.Run(() => FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(EventMutations.Runs(300)).WithQuietOnSuccess(true), property));
    }

    // Found by Hostile/HostileBodyTests: both answered 500 before JsonBody checked every string of a body.
    [Theory]
    [InlineData("{\"scopes\":[\"\\ud800\"]}")]
    [InlineData("{\"scopes\":[\"files:read\"],\"durationSeconds\":900,\"x\":\"\\udfff\"}")]
    public async Task Regression_a_body_escaping_a_lone_surrogate_is_400_not_500(string body)
    {
        var host = new InProcessHost("vend");
        var request = Requests.Vend("acme", null, body, authorization: Authorizations[0]) with { RouteKey = "POST /v1/tenants/{tenantId}/credentials" };

        var (answer, problem) = await host.HandleAsync(HttpApiEvent.Create(request, DateTimeOffset.UtcNow));

        Assert.Null(problem);
        Assert.Equal(400, answer!.StatusCode);
    }

    [Fact]
    public async Task Regression_a_body_with_invalid_utf8_in_a_member_name_is_400_not_500()
    {
        var host = new InProcessHost("vend");
        var request = Requests.Vend("acme", null, "{}", authorization: Authorizations[0]) with { Body = [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d] };

        var (answer, problem) = await host.HandleAsync(HttpApiEvent.Create(request, DateTimeOffset.UtcNow));

        Assert.Null(problem);
        Assert.Equal(400, answer!.StatusCode);
    }

    // Found by the fuzzing: a null query value answered 500 (a NullReferenceException in the vend route).
    [Theory]
    [InlineData("queryStringParameters", "scopes")]
    [InlineData("headers", "authorization")]
    [InlineData("pathParameters", "tenantId")]
    public async Task Regression_a_hand_made_event_with_a_null_value_is_400_not_500(string map, string name)
    {
        var host = new InProcessHost("vend");
        var request = Requests.Vend("acme", null, method: "GET", query: "scopes=files:read", authorization: Authorizations[0]) with
        {
            RouteKey = "GET /v1/tenants/{tenantId}/credentials",
            PathParameters = new Dictionary<string, string> { ["tenantId"] = "acme" },
        };
        var payload = System.Text.Json.Nodes.JsonNode.Parse(HttpApiEvent.Create(request, DateTimeOffset.UtcNow))!;
        payload[map]![name] = null;

        var (answer, problem) = await host.HandleAsync(System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()));

        Assert.Null(problem);
        Assert.Equal(400, answer!.StatusCode);
    }

    /// <summary>A valid event of each of the function's routes, with a body where the route takes one.</summary>
    public static byte[][] Seeds(string function)
    {
        var now = DateTimeOffset.UtcNow;
        var routes = RouteTable.For(function);
        return [.. routes.SelectMany(route => Authorizations.Take(2).Select(authorization =>
        {
            var path = route.Path.Replace("{tenantId}", "acme", StringComparison.Ordinal).Replace("{leaseId}", "01JDQ3ZV7W5K8Q4T0N9B2XG6AC", StringComparison.Ordinal);
            var body = route.Method is "POST" or "PUT" ? Body(route.Path) : null;
            var request = route.Function == RouteTable.Admin
                ? Requests.Admin(route.Method, path, body, query: route.Path == "/admin/leases" ? "accessKeyId=ASIAEXAMPLE000000000" : string.Empty)
                : Requests.Vend("acme", null, body, route.Method == "GET" ? "format=json&scopes=files:read&durationSeconds=900" : string.Empty, route.Method, authorization) with { Path = path };
            var parameters = RouteMatcher.TryMatch(route.Path, path, out var found) ? found : null;
            return HttpApiEvent.Create(request with { RouteKey = route.RouteKey, PathParameters = parameters }, now);
        }))];
    }

    private static string Body(string path) => path switch
    {
        "/admin/tenants/{tenantId}" => Requests.TenantDocument("acme", "https://issuer.example").ToJsonString(),
        "/admin/tenants/{tenantId}/preview" => "{\"claims\":{\"sub\":\"alice\",\"tenant\":\"acme\"},\"scopes\":[\"files:read\"]}",
        "/v1/tenants/{tenantId}/decode" => "{\"encodedMessage\":\"abc\"}",
        _ => "{\"scopes\":[\"files:read\"],\"durationSeconds\":900}",
    };

    private static bool Check(InProcessHost host, byte[] payload)
    {
        var (_, problem) = host.HandleAsync(payload).GetAwaiter().GetResult();
        var text = System.Text.Encoding.UTF8.GetString(payload);
        return problem is null
            ? true
            : throw new Xunit.Sdk.XunitException($"{problem}\nevent: {text[..Math.Min(text.Length, 4000)]}\nlog: {string.Join('\n', host.Logs.TakeLast(3))}");
    }
}
