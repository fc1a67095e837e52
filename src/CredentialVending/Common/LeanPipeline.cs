using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SecurityToken;

namespace CredentialVending.Common;

/// <summary>
/// The AWS SDK's per-call pipeline without the stages a function's DynamoDB and STS calls never use. Each stage is an
/// async state machine run on every call, whether it has work or not (bench/results/2026-12-02-changes-tried.md):
/// <list type="bullet">
/// <item>endpoint discovery: opt-in for DynamoDB (<c>EndpointDiscoveryEnabled</c>, never set here), absent from STS;</item>
/// <item>the three callback stages and the error callback: they raise the client's and the request's
/// <c>BeforeRequestEvent</c>, <c>AfterResponseEvent</c> and <c>ExceptionEvent</c>, which nothing here subscribes to;</item>
/// <item>the metrics stage: it times the call for <c>LogMetrics</c>, which is off;</item>
/// <item>flexible checksums and request compression: no DynamoDB or STS operation here has either trait.</item>
/// </list>
/// Signing, credentials, the endpoint rules, retries, error mapping and unmarshalling stay as the SDK builds them.
/// </summary>
public static class LeanPipeline
{
    /// <summary>What every client here sets: no SDK logging, and no clock skew correction (whose per-response Date
    /// parsing is per call): the function already trusts its clock for every token's lifetime and every lease's expiry,
    /// and Lambda's clock is kept by Amazon Time Sync.</summary>
    public static T Configure<T>(T config)
        where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        config.DisableLogging = true;
        config.DisableClockSkewCorrection = true;
        return config;
    }

    /// <summary>Takes the unused stages out of a client's pipeline (each wherever it is, as often as it is there).</summary>
    public static void Trim(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        RemoveAll<EndpointDiscoveryHandler>(pipeline);
        RemoveAll<CallbackHandler>(pipeline);
        RemoveAll<ErrorCallbackHandler>(pipeline);
        RemoveAll<MetricsHandler>(pipeline);
        RemoveAll<ChecksumHandler>(pipeline);
        RemoveAll<CompressionHandler>(pipeline);
    }

    /// <summary>The names of a pipeline's stages, outermost first.</summary>
    public static IReadOnlyList<string> Stages(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return [.. pipeline.EnumerateHandlers().Select(h => h.GetType().Name)];
    }

    private static void RemoveAll<T>(RuntimePipeline pipeline)
        where T : IPipelineHandler
    {
        while (pipeline.EnumerateHandlers().Any(h => h.GetType() == typeof(T)))
        {
            pipeline.RemoveHandler<T>();
        }
    }
}

/// <summary>DynamoDB's client on the <see cref="LeanPipeline"/>. Raises no request or response events.</summary>
public sealed class LeanDynamoDBClient : AmazonDynamoDBClient
{
    public LeanDynamoDBClient(AmazonDynamoDBConfig config)
        : base(LeanPipeline.Configure(config))
    {
    }

    public LeanDynamoDBClient(AWSCredentials credentials, AmazonDynamoDBConfig config)
        : base(credentials, LeanPipeline.Configure(config))
    {
    }

    /// <summary>The stages each call runs, outermost first.</summary>
    public IReadOnlyList<string> Stages => LeanPipeline.Stages(RuntimePipeline);

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        LeanPipeline.Trim(pipeline);
    }
}

/// <summary>STS's client on the <see cref="LeanPipeline"/>. Raises no request or response events.</summary>
public sealed class LeanStsClient : AmazonSecurityTokenServiceClient
{
    public LeanStsClient(AmazonSecurityTokenServiceConfig config)
        : base(LeanPipeline.Configure(config))
    {
    }

    public LeanStsClient(AWSCredentials credentials, AmazonSecurityTokenServiceConfig config)
        : base(credentials, LeanPipeline.Configure(config))
    {
    }

    /// <summary>The stages each call runs, outermost first.</summary>
    public IReadOnlyList<string> Stages => LeanPipeline.Stages(RuntimePipeline);

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        LeanPipeline.Trim(pipeline);
    }
}
