using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda;
using CredentialVending.Lambda.Events;

namespace CredentialVending.SystemTests.Template;

/// <summary>events/: each file an HTTP API payload 2.0 event as API Gateway sends it, for a route of RouteTable.</summary>
public sealed partial class EventFilesTests
{
    /// <summary>The route key API Gateway sends for a request that only a $default route catches.</summary>
    private const string DefaultRouteKey = "$default";

    public static TheoryData<string> EventFiles() => [.. EventNames()];

    [Theory]
    [MemberData(nameof(EventFiles))]
    public void Event_is_a_payload_2_0_event_as_api_gateway_sends_it(string name)
    {
        var json = File.ReadAllText(RepositoryFiles.PathOf("events", name));
        var request = JsonSerializer.Deserialize(json, LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest)!;
        var context = request.RequestContext!;
        var http = context.Http!;

        Assert.Equal("2.0", request.Version);
        Assert.Equal(request.RouteKey, context.RouteKey);
        Assert.Equal(request.RawPath, http.Path);
        Assert.Equal("$default", context.Stage);
        Assert.Equal("123456789012", context.AccountId);
        Assert.Equal($"{context.ApiId}.execute-api.us-east-1.amazonaws.com", context.DomainName);
        Assert.Equal(context.ApiId, context.DomainPrefix);
        Assert.Equal(context.DomainName, request.GetHeader("host"));
        Assert.Matches(ApiGatewayTime(), context.Time);
        Assert.True(context.TimeEpoch > 1_700_000_000_000, "timeEpoch is in milliseconds");
        Assert.False(string.IsNullOrEmpty(context.RequestId));
        Assert.False(string.IsNullOrEmpty(http.SourceIp));
        Assert.Equal("HTTP/1.1", http.Protocol);
        Assert.Equal(request.GetHeader("user-agent"), http.UserAgent);
        Assert.All(request.Headers!.Keys, header => Assert.Equal(header.ToLowerInvariant(), header));
        Assert.False(request.IsBase64Encoded);
        Assert.Equal(Query(request.RawQueryString!), request.QueryStringParameters ?? new Dictionary<string, string>());

        if (request.Body is not null)
        {
            Assert.Equal("application/json", request.GetHeader("content-type"));
            Assert.Equal(Encoding.UTF8.GetByteCount(request.Body).ToString(System.Globalization.CultureInfo.InvariantCulture), request.GetHeader("content-length"));
            using var body = JsonDocument.Parse(request.Body);
        }
    }

    [Theory]
    [MemberData(nameof(EventFiles))]
    public void Event_is_for_a_route_of_the_code_or_the_documented_miss(string name)
    {
        var request = JsonSerializer.Deserialize(File.ReadAllText(RepositoryFiles.PathOf("events", name)), LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest)!;
        var expected = Expected(name);
        var method = request.RequestContext!.Http!.Method!;
        var routes = RouteTable.For(expected.Function);
        Assert.NotEmpty(routes);

        if (request.RouteKey == DefaultRouteKey)
        {
            var (kind, _, _) = new RouteMatcher(routes).Match(method, request.RawPath!);
            Assert.Equal(expected.Status == 405 ? RouteMatcher.Kind.MethodNotAllowed : RouteMatcher.Kind.NotFound, kind);
            Assert.Contains(expected.Status, new[] { 404, 405 });
            Assert.Null(request.PathParameters);
            return;
        }

        var route = RouteTable.All.SingleOrDefault(r => r.RouteKey == request.RouteKey);
        Assert.True(route is not null, $"{name}: routeKey '{request.RouteKey}' is no route of RouteTable.");
        Assert.Equal(expected.Function, route.Function);
        Assert.Equal(route.Method, method);
        Assert.True(RouteMatcher.TryMatch(route.Path, request.RawPath!, out var parameters), $"{name}: {request.RawPath} is not {route.Path}");
        Assert.Equal(parameters, request.PathParameters ?? new Dictionary<string, string>());
    }

    [Theory]
    [MemberData(nameof(EventFiles))]
    public void Event_holds_no_real_token_only_a_named_placeholder(string name)
    {
        var request = JsonSerializer.Deserialize(File.ReadAllText(RepositoryFiles.PathOf("events", name)), LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest)!;
        var authorization = request.GetHeader("authorization");
        Assert.DoesNotContain("eyJ", File.ReadAllText(RepositoryFiles.PathOf("events", name)), StringComparison.Ordinal);
        if (authorization is null || authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return;
        }

        Assert.Matches(BearerPlaceholder(), authorization);
        if (authorization == "Bearer REPLACE_WITH_TOKEN")
        {
            Assert.Equal((401, "invalid_token"), (Expected(name).Status, Expected(name).Code));
        }
    }

    [Fact]
    public void Expected_json_names_every_event_and_only_them()
    {
        var events = ExpectedDocument()["events"]!.AsObject();
        Assert.Equal(EventNames().Order(StringComparer.Ordinal), events.Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var (name, _) in events)
        {
            var expected = Expected(name);
            Assert.Contains(expected.Function, RouteTable.Functions);
            Assert.InRange(expected.Status, 200, 599);
            Assert.True(expected.Status >= 400 == expected.Code is not null, $"{name}: an error has a code, a success none.");
        }
    }

    [Fact]
    public void The_tenant_put_is_the_document_of_events_documents()
    {
        var put = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("events", "admin-put-tenant.json")))!;
        var document = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("events", "documents", "acme-tenant.json")));
        Assert.True(JsonNode.DeepEquals(document, JsonNode.Parse(put["body"]!.GetValue<string>())));
        Assert.Equal("arn:aws:iam::123456789012:role/onboarding", put["requestContext"]!["authorizer"]!["iam"]!["userArn"]!.GetValue<string>());
    }

    private static IEnumerable<string> EventNames() =>
        Directory.EnumerateFiles(RepositoryFiles.PathOf("events"), "*.json", SearchOption.TopDirectoryOnly)
            .Select(Path.GetFileName)
            .Where(name => name != "expected.json")
            .Order(StringComparer.Ordinal)!;

    private static JsonNode ExpectedDocument() => JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("events", "expected.json")))!;

    private static (string Function, int Status, string? Code) Expected(string name)
    {
        var entry = ExpectedDocument()["events"]![name];
        Assert.True(entry is not null, $"events/expected.json has no entry for {name}.");
        return (entry["function"]!.GetValue<string>(), entry["status"]!.GetValue<int>(), entry["code"]?.GetValue<string>());
    }

    /// <summary>As API Gateway fills queryStringParameters from the raw query: decoded, repeated names joined with commas.</summary>
    private static Dictionary<string, string> Query(string raw) =>
        raw.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .GroupBy(pair => Uri.UnescapeDataString(pair[0]), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(',', g.Select(pair => Uri.UnescapeDataString(pair.ElementAtOrDefault(1) ?? string.Empty))), StringComparer.Ordinal);

    [GeneratedRegex(@"^\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}$")]
    private static partial Regex ApiGatewayTime();

    [GeneratedRegex(@"^Bearer (REPLACE_WITH_TOKEN|PLACEHOLDER_[A-Z0-9_]+)$")]
    private static partial Regex BearerPlaceholder();
}
