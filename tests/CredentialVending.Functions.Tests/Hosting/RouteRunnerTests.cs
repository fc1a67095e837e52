using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Functions.Tests.Support;
using CredentialVending.Lambda.Events;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.Functions.Tests.Hosting;

/// <summary>
/// The host enforces each route's declared access before its handler runs, and answers what the handler returns: a
/// refusal as problem+json, a JSON answer no-store. Routes of the test's own count their runs.
/// </summary>
public sealed class RouteRunnerTests(OnboardedTenant acme) : IClassFixture<OnboardedTenant>
{
    private const string TenantPath = "/v1/tenants/acme/thing";

    private int _reads;
    private int _runs;

    [Fact]
    public async Task A_bearer_route_without_a_token_is_401_and_its_handler_never_runs()
    {
        var answer = await HostRun.SendAsync(BearerRoute("decode"), new HttpApiRequest { Method = "POST", Path = TenantPath });

        AssertRefused(answer, 401, "invalid_token");
        Assert.Equal("Bearer error=\"invalid_token\"", answer.Headers!["www-authenticate"]);
        Assert.Equal((1, 0), (_reads, _runs));
    }

    [Fact]
    public async Task A_bearer_route_reads_its_request_before_the_token_so_a_malformed_one_is_400_even_without_a_token()
    {
        var answer = await HostRun.SendAsync(BearerRoute("decode", refuseRead: true), new HttpApiRequest { Method = "POST", Path = TenantPath });

        AssertRefused(answer, 400, "invalid_request");
        Assert.Equal((1, 0), (_reads, _runs));
    }

    [Fact]
    public async Task A_bearer_route_whose_caller_lacks_its_permission_is_403_forbidden_and_its_handler_never_runs()
    {
        var logs = new ConcurrentQueue<string>();
        var answer = await HostRun.SendAsync(BearerRoute("decode"), WithToken(acme.Token("auditors")), acme.Services(), logs);

        var problem = AssertRefused(answer, 403, "forbidden");
        Assert.Equal("The caller does not hold tenant acme's 'decode' permission.", problem.GetProperty("detail").GetString());
        Assert.Equal(0, _runs);
        Assert.Contains(logs, l => l.Contains("Caller refused.", StringComparison.Ordinal) && l.Contains("code=forbidden", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bearer_route_whose_caller_holds_its_permission_runs_with_the_tenant_and_the_caller()
    {
        string? seen = null;
        var route = Route.Of<int>("test", "POST", "/v1/tenants/{tenantId}/thing", RouteAccess.Bearer("leases"), _ => 7, (context, input, _) =>
        {
            seen = $"{context.Caller.Tenant.TenantId} {context.Caller.Caller.Subject} {input}";
            return Task.FromResult<RouteResult>(new Refusal(Codes.NotFound, "nothing here"));
        });

        var answer = await HostRun.SendAsync(route, WithToken(acme.Token("auditors")), acme.Services());

        AssertRefused(answer, 404, "not_found");
        Assert.Equal("acme alice 7", seen);
    }

    [Fact]
    public async Task A_bearer_route_of_a_tenant_not_onboarded_is_404_tenant_not_found_before_its_handler()
    {
        var answer = await HostRun.SendAsync(BearerRoute(null), WithToken(acme.Token()) with { Path = "/v1/tenants/nobody/thing" }, acme.Services());

        AssertRefused(answer, 404, "tenant_not_found");
        Assert.Equal(0, _runs);
    }

    [Theory]
    [InlineData(null, "Admin routes take IAM-signed (SigV4) requests through API Gateway's AWS_IAM authorizer; this request carries no IAM identity.")]
    [InlineData("arn:aws:iam::123456789012:role/someone-else", "arn:aws:iam::123456789012:role/someone-else is not among the function's ADMIN_PRINCIPAL_ARNS.")]
    public async Task An_admin_route_is_403_forbidden_before_it_reads_the_request_unless_an_admin_principal_signed_it(string? signer, string detail)
    {
        var answer = await HostRun.SendAsync(AdminRoute(), new HttpApiRequest { Method = "PUT", Path = "/admin/thing", IamUserArn = signer });

        var problem = AssertRefused(answer, 403, "forbidden");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.Equal((0, 0), (_reads, _runs));
    }

    [Fact]
    public async Task An_admin_route_signed_by_an_admin_principal_reads_its_request_and_runs_and_its_json_answer_is_no_store()
    {
        var answer = await HostRun.SendAsync(AdminRoute(), new HttpApiRequest { Method = "PUT", Path = "/admin/thing", IamUserArn = HostRun.AdminArn, Body = Encoding.UTF8.GetBytes("{}") });

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers!["cache-control"]);
        Assert.Equal("application/json", answer.Headers["content-type"]);
        Assert.Equal("{\"ran\":true}", answer.Body);
        Assert.Equal((1, 1), (_reads, _runs));
    }

    [Fact]
    public async Task A_refusal_a_handler_returns_is_problem_json_with_the_request_id_and_its_retry_after()
    {
        var route = new Route("test", "GET", "/open", (_, _) => Task.FromResult<RouteResult>(new Refusal(Codes.RateLimited, "slow down", RetryAfter: TimeSpan.FromSeconds(2.5))));

        var answer = await HostRun.SendAsync(route, new HttpApiRequest { Method = "GET", Path = "/open" });

        var problem = AssertRefused(answer, 429, "rate_limited");
        Assert.Equal("3", answer.Headers!["retry-after"]);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("requestId").GetString()));
    }

    private Route BearerRoute(string? permission, bool refuseRead = false) => Route.Of(
        "test", "POST", "/v1/tenants/{tenantId}/thing", RouteAccess.Bearer(permission), _ => Read(refuseRead), Run);

    private Route AdminRoute() => Route.Of("test", "PUT", "/admin/thing", RouteAccess.Admin, _ => Read(refuse: false), Run);

    private Outcome<string> Read(bool refuse)
    {
        _reads++;
        return refuse ? Refusal.InvalidRequest("The body is wrong.") : "input";
    }

    private Task<RouteResult> Run(RouteContext context, string input, CancellationToken cancellationToken)
    {
        _runs++;
        return Task.FromResult(RouteResult.Json(200, "{\"ran\":true}"));
    }

    private static HttpApiRequest WithToken(string token) => new()
    {
        Method = "POST",
        Path = TenantPath,
        Headers = [new("authorization", "Bearer " + token)],
    };

    private static JsonElement AssertRefused(APIGatewayHttpApiV2ProxyResponse answer, int status, string code)
    {
        Assert.Equal(status, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Headers!["content-type"]);
        var problem = JsonDocument.Parse(answer.Body!).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }
}
