using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.DynamoDBv2;
using CredentialVending.Functions.Hosting;
using CredentialVending.Functions.Http;
using CredentialVending.SystemTests.Support;
using CredentialVending.Lambda.Context;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.SystemTests.Hosting;

/// <summary>
/// What the host answers when a route throws, in this process with a route made to fail: an AWS failure is 503 with its
/// code in the log and never its message; anything else (a bug) is 500 with no stack trace in the answer and one log
/// line that holds it.
/// </summary>
public sealed class FunctionHostFailureTests
{
    private const string Message = "message-text-that-may-quote-a-key";

    private static readonly FunctionConfiguration Configuration = new()
    {
        TenantsTable = "host-tenants",
        LeasesTable = "host-leases",
        StsEndpoints = "us-east-1=http://127.0.0.1:9",
    };

    static FunctionHostFailureTests()
    {
        Amazon.AWSConfigs.AWSRegion ??= "us-east-1";
    }

    [Fact]
    public async Task A_bug_in_a_route_is_500_internal_error_with_no_stack_trace_and_one_log_line_that_has_it()
    {
        var (answer, logs) = await RunAsync(new InvalidOperationException(Message));

        Assert.Equal(500, answer.StatusCode);
        Assert.Equal("internal_error", JsonDocument.Parse(answer.Body!).RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain(Message, answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", answer.Body, StringComparison.Ordinal);
        var line = Assert.Single(logs);
        Assert.Contains("The route failed.", line, StringComparison.Ordinal);
        Assert.Contains("   at ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_aws_failure_no_route_handled_is_503_with_its_code_logged_and_never_its_message()
    {
        var (answer, logs) = await RunAsync(new AmazonDynamoDBException(Message) { ErrorCode = "ValidationException", StatusCode = System.Net.HttpStatusCode.BadRequest });

        Assert.Equal(503, answer.StatusCode);
        Assert.Equal("unavailable", JsonDocument.Parse(answer.Body!).RootElement.GetProperty("code").GetString());
        Assert.NotNull(answer.Headers!.GetValueOrDefault("retry-after"));
        var line = Assert.Single(logs);
        Assert.Contains("causeAwsErrorCode=ValidationException", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Message, line + answer.Body, StringComparison.Ordinal);
    }

    private static async Task<(Lambda.Events.APIGatewayHttpApiV2ProxyResponse Answer, string[] Logs)> RunAsync(Exception failure)
    {
        var route = new Route("test", "GET", "/fail", (_, _) => throw failure);
        var host = new FunctionHost("test", [route], new FunctionServices(Configuration, TimeProvider.System));
        var logs = new ConcurrentQueue<string>();
        var payload = HttpApiEvent.Create(new HttpApiRequest { Method = "GET", Path = "/fail" } with { RouteKey = "GET /fail" }, DateTimeOffset.UtcNow);

        var answer = await host.HandleEventAsync(payload, new RecordingLambdaContext(logs, "credvend-host-test"), CancellationToken.None);

        return (answer, [.. logs]);
    }
}
