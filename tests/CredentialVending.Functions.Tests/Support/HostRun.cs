using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using CredentialVending.Functions.Hosting;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.Functions.Tests.Support;

/// <summary>Runs a <see cref="FunctionHost"/> over routes of the test's own, in this process, and keeps what it logged.</summary>
public static class HostRun
{
    public const string AdminArn = "arn:aws:iam::123456789012:role/onboarding";

    public static FunctionConfiguration Configuration { get; } = new()
    {
        TenantsTable = "tenants",
        LeasesTable = "leases",
        StsEndpoints = "us-east-1=http://127.0.0.1:9",
        AdminPrincipalArns = [AdminArn],
        InsecureLoopbackIssuers = true,
    };

    static HostRun()
    {
        Amazon.AWSConfigs.AWSRegion ??= "us-east-1";
    }

    public static FunctionServices Services(IAmazonDynamoDB? dynamo = null) => new(Configuration, TimeProvider.System, dynamo);

    public static async Task<APIGatewayHttpApiV2ProxyResponse> SendAsync(Route route, HttpApiRequest request, FunctionServices? services = null, ConcurrentQueue<string>? logs = null)
    {
        var host = new FunctionHost("test", [route], services ?? Services());
        var payload = HttpApiEvent.Create(request with { RouteKey = route.RouteKey }, DateTimeOffset.UtcNow);
        return await host.HandleEventAsync(payload, new Context(logs ?? new()), CancellationToken.None);
    }

    /// <summary>A context for <see cref="BodyReader"/> and the routes' reads, which touch none of the services.</summary>
    public static RouteContext ContextFor(HttpApiRequest request)
    {
        var payload = HttpApiEvent.Create(request, DateTimeOffset.UtcNow);
        var parsed = System.Text.Json.JsonSerializer.Deserialize(payload, Lambda.LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest)!;
        return new RouteContext(parsed, new Dictionary<string, string>(), new Context(new()), Services());
    }

    private sealed class Context(ConcurrentQueue<string> logs) : ILambdaContext
    {
        public string AwsRequestId { get; } = Guid.NewGuid().ToString();
        public string FunctionName => "credvend-test";
        public string FunctionVersion => "$LATEST";
        public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:123456789012:function:credvend-test";
        public int MemoryLimitInMB => 256;
        public string? TraceId => null;
        public DateTimeOffset Deadline { get; } = DateTimeOffset.UtcNow.AddSeconds(10);
        public TimeSpan RemainingTime => Deadline - DateTimeOffset.UtcNow;
        public ILambdaLogger Logger { get; } = new Recorder(logs);
    }

    private sealed class Recorder(ConcurrentQueue<string> logs) : ILambdaLogger
    {
        public bool IsEnabled(LogLevel level) => true;

        public void Log(LogLevel level, string message, IReadOnlyList<KeyValuePair<string, string?>>? fields = null, Exception? exception = null) =>
            logs.Enqueue($"{level} {message} {string.Join(' ', (fields ?? []).Select(f => $"{f.Key}={f.Value}"))}");
    }
}
