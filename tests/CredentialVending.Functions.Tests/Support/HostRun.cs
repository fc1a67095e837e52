using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using CredentialVending.Functions.Hosting;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;
using CredentialVending.Local.ApiGateway;
using CredentialVending.SystemTests.Support;

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
        return await host.HandleEventAsync(payload, new RecordingLambdaContext(logs ?? new(), "credvend-test"), CancellationToken.None);
    }

    /// <summary>A context for <see cref="BodyReader"/> and the routes' reads, which touch none of the services.</summary>
    public static RouteContext ContextFor(HttpApiRequest request)
    {
        var payload = HttpApiEvent.Create(request, DateTimeOffset.UtcNow);
        var parsed = System.Text.Json.JsonSerializer.Deserialize(payload, Lambda.LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest)!;
        return new RouteContext(parsed, new Dictionary<string, string>(), new RecordingLambdaContext(new(), "credvend-test"), Services());
    }
}
