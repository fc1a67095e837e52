using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Lambda;

namespace CredentialVending.SystemTests.Hosting;

/// <summary>
/// A deployment that cannot use its tables (a table that does not exist, a variable unset) answers every route of every
/// function 503 <c>unavailable</c> with Retry-After, and logs the cause (the exception's type and AWS error code, never
/// the request's data), rather than a 500 or API Gateway's bare answer to an init error.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class MisconfiguredFunctionTests(LocalCloud cloud)
{
    public static TheoryData<string, string> RoutesOverAMissingTable => new()
    {
        { "vend", "TENANTS_TABLE" },
        { "vend", "LEASES_TABLE" },
        { "leases", "TENANTS_TABLE" },
        { "leases", "LEASES_TABLE" },
        { "admin-get", "TENANTS_TABLE" },
        { "admin-put", "TENANTS_TABLE" },
        { "admin-list", "TENANTS_TABLE" },
        { "admin-find-lease", "LEASES_TABLE" },
    };

    [Theory]
    [MemberData(nameof(RoutesOverAMissingTable))]
    public async Task A_table_that_does_not_exist_is_503_unavailable_with_its_aws_error_code_in_the_log(string route, string variable)
    {
        var tenant = await cloud.OnboardAsync(change: d => d["limits"] = new System.Text.Json.Nodes.JsonObject { ["requestsPerMinute"] = 100 });
        var environment = cloud.FunctionEnvironment();
        environment[variable] = "credvend-table-that-does-not-exist";
        var (answer, logs) = await InvokeAsync(route, tenant, environment);

        Assert.True(answer.Status == 503 && answer.Code == "unavailable", answer.ToString());
        Assert.NotNull(answer.Header("retry-after"));
        Assert.DoesNotContain("does-not-exist", answer.Body, StringComparison.Ordinal);
        Assert.Contains(logs, l => l.Contains("\"causeAwsErrorCode\":\"ResourceNotFoundException\"", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("stackTrace", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("vend", "TENANTS_TABLE")]
    [InlineData("leases", "LEASES_TABLE")]
    [InlineData("admin-get", "TENANTS_TABLE")]
    [InlineData("admin-get", "LEASE_RETENTION_DAYS")]
    [InlineData("vend", "STS_ENDPOINTS")]
    public async Task A_variable_unset_or_unreadable_is_503_unavailable_on_every_request_with_the_cause_in_the_log(string route, string variable)
    {
        var environment = cloud.FunctionEnvironment();
        if (variable is "LEASE_RETENTION_DAYS" or "STS_ENDPOINTS")
        {
            environment[variable] = variable == "STS_ENDPOINTS" ? "not a region" : "forever";
        }
        else
        {
            environment.Remove(variable);
        }

        var (answer, logs) = await InvokeAsync(route, "acme", environment);

        Assert.True(answer.Status == 503 && answer.Code == "unavailable", answer.ToString());
        Assert.NotNull(answer.Header("retry-after"));
        Assert.DoesNotContain(variable, answer.Body, StringComparison.Ordinal);
        Assert.Contains(logs, l => l.Contains("\"The function is misconfigured.\"", StringComparison.Ordinal) && l.Contains(variable, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_misconfigured_function_still_answers_404_for_a_path_it_does_not_serve()
    {
        var environment = cloud.FunctionEnvironment();
        environment.Remove("TENANTS_TABLE");
        await using var function = await cloud.StartAsync("vend", environment);

        var result = await function.InvokeAsync(HttpApiEvent.Create(new HttpApiRequest { Method = "GET", Path = "/nowhere" } with { RouteKey = "$default" }, DateTimeOffset.UtcNow));

        Assert.Equal(404, Answer.Parse(result.Response!).Status);
    }

    private async Task<(Answer Answer, string[] Logs)> InvokeAsync(string route, string tenant, Dictionary<string, string> environment)
    {
        var (handler, request, key) = route switch
        {
            "vend" => ("vend", Requests.Vend(tenant, cloud.Token(tenant)), "POST /v1/tenants/{tenantId}/credentials"),
            "leases" => ("leases", new HttpApiRequest { Method = "GET", Path = $"/v1/tenants/{tenant}/leases", Headers = [new("Authorization", "Bearer " + cloud.Token(tenant, "ops", ["admins"]))] }, "GET /v1/tenants/{tenantId}/leases"),
            "admin-get" => ("admin", Requests.Admin("GET", $"/admin/tenants/{tenant}"), "GET /admin/tenants/{tenantId}"),
            "admin-put" => ("admin", Requests.Admin("PUT", $"/admin/tenants/{tenant}", Requests.TenantDocument(tenant, cloud.Issuer.Issuer).ToJsonString()), "PUT /admin/tenants/{tenantId}"),
            "admin-list" => ("admin", Requests.Admin("GET", "/admin/tenants"), "GET /admin/tenants"),
            _ => ("admin", Requests.Admin("GET", "/admin/leases", query: "accessKeyId=ASIAEXAMPLE000000001"), "GET /admin/leases"),
        };
        await using var function = await cloud.StartAsync(handler, environment);
        var before = cloud.Logs.Count;
        var parameters = key.Contains("{tenantId}", StringComparison.Ordinal) ? new Dictionary<string, string> { ["tenantId"] = tenant } : null;

        var result = await function.InvokeAsync(HttpApiEvent.Create(request with { RouteKey = key, PathParameters = parameters }, DateTimeOffset.UtcNow));

        Assert.True(result.Succeeded, $"{result.ErrorType} {result.ErrorBody}");
        return (Answer.Parse(result.Response!), [.. cloud.Logs.Skip(before)]);
    }
}
