using System.Text.Json;
using CredentialVending.Local.ApiGateway;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Hosting;

/// <summary>
/// The log lines of an invocation, through the real bootstrap: each carries the invocation's request id, function,
/// tenant, lease and X-Ray trace id, said once by the router and the route; the trace id also reaches the AWS calls.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class InvocationLogTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_vends_log_lines_carry_its_request_id_function_tenant_lease_and_trace_id_and_sts_gets_the_trace_id()
    {
        var tenant = await cloud.OnboardAsync();
        await using var vend = await cloud.StartAsync("vend", cloud.FunctionEnvironment());
        var before = cloud.Logs.Count;

        var answer = await LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant, "alice")));

        Assert.Equal(200, answer.Status);
        var leaseId = answer.Json.GetProperty("leaseId").GetString()!;
        var issued = Assert.Single(Lines(before), l => Text(l, "message") == "Credentials issued.");
        Assert.Equal("vend", Text(issued, "function"));
        Assert.Equal(tenant, Text(issued, "tenantId"));
        Assert.Equal(leaseId, Text(issued, "leaseId"));
        Assert.Equal(Assert.Single(await cloud.LeaseItemsAsync(tenant))["requestId"].S, Text(issued, "requestId"));
        Assert.False(string.IsNullOrEmpty(Text(issued, "awsRequestId")));
        var traceId = Text(issued, "traceId");
        Assert.StartsWith("Root=1-", traceId, StringComparison.Ordinal);
        Assert.Single(issued.EnumerateObject(), p => p.Name == "tenantId");
        Assert.Equal(traceId, Assert.Single(cloud.Sts.Calls, c => c.RoleSessionName == leaseId).TraceHeader);
    }

    [Fact]
    public async Task A_lease_that_cannot_be_written_is_logged_with_its_lease_id_and_the_causes_type_and_code_never_its_message()
    {
        var tenant = await cloud.OnboardAsync();
        var environment = cloud.FunctionEnvironment();
        environment["LEASES_TABLE"] = "leases-table-that-is-gone";
        await using var vend = await cloud.StartAsync("vend", environment);
        var before = cloud.Logs.Count;

        var answer = await LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.Equal(503, answer.Status);
        var lines = Lines(before);
        var failed = Assert.Single(lines, l => Text(l, "message") == "The lease could not be written; the credentials were dropped.");
        var session = cloud.Sts.Calls.Last(c => c.RoleArn == $"arn:aws:iam::123456789012:role/tenant-{tenant}").RoleSessionName;
        Assert.Equal(session, Text(failed, "leaseId"));
        Assert.Equal("ResourceNotFoundException", Text(failed, "causeAwsErrorCode"));
        Assert.Equal(tenant, Text(failed, "tenantId"));
        Assert.Equal(session, Text(Assert.Single(lines, l => Text(l, "message") == "A dependency is unavailable."), "leaseId"));
        Assert.DoesNotContain(lines, l => l.GetRawText().Contains("leases-table-that-is-gone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lambdas_log_level_wins_over_the_functions_own()
    {
        var tenant = await cloud.OnboardAsync();
        var environment = cloud.FunctionEnvironment();
        environment["LOG_LEVEL"] = "debug";
        environment["AWS_LAMBDA_LOG_LEVEL"] = "ERROR";
        await using var vend = await cloud.StartAsync("vend", environment);
        var before = cloud.Logs.Count;

        var answer = await LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant), "{\"scopes\":[\"no-such-scope\"]}"));

        Assert.Equal(400, answer.Status);
        Assert.DoesNotContain(Lines(before), l => Text(l, "tenantId") == tenant);
    }

    [Fact]
    public async Task At_lambdas_log_level_error_the_metric_record_carries_the_level_error_so_lambdas_filter_keeps_it()
    {
        var tenant = await cloud.OnboardAsync();
        var environment = cloud.FunctionEnvironment();
        environment["AWS_LAMBDA_LOG_LEVEL"] = "ERROR";
        await using var vend = await cloud.StartAsync("vend", environment);
        var before = cloud.Logs.Count;

        var answer = await LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant), "{\"scopes\":[\"no-such-scope\"]}"));

        Assert.Equal(400, answer.Status);
        var line = Assert.Single(cloud.Logs.Skip(before), l => Metrics.EmfRecords.IsRecord(l) && l.Contains(tenant, StringComparison.Ordinal));
        Assert.Empty(Metrics.EmfRecords.Problems(line));
        Assert.Equal("ERROR", Text(JsonDocument.Parse(line).RootElement, "level"));
    }

    // The log lines: JSON objects on stdout, less the EMF records (metrics, which no log level filters).
    private List<JsonElement> Lines(int skip) =>
        [.. cloud.Logs.Skip(skip).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).Where(l => !l.TryGetProperty("_aws", out _))];

    private static string? Text(JsonElement line, string name) => line.TryGetProperty(name, out var value) ? value.GetString() : null;
}
