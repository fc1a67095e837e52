using CredentialVending.Lambda.Client;

namespace CredentialVending.Lambda.Context;

/// <summary>The context of one invocation.</summary>
public sealed class LambdaContext : ILambdaContext
{
    private readonly TimeProvider _time;

    public LambdaContext(InvocationRequest invocation, LambdaEnvironment environment, ILambdaLogger logger, TimeProvider time)
    {
        _time = time;
        AwsRequestId = invocation.RequestId;
        InvokedFunctionArn = invocation.InvokedFunctionArn;
        TraceId = invocation.TraceId;
        Deadline = DateTimeOffset.FromUnixTimeMilliseconds(invocation.DeadlineMs);
        FunctionName = environment.FunctionName;
        FunctionVersion = environment.FunctionVersion;
        MemoryLimitInMB = environment.MemoryLimitInMB;
        Logger = logger;
    }

    public string AwsRequestId { get; }
    public string FunctionName { get; }
    public string FunctionVersion { get; }
    public string InvokedFunctionArn { get; }
    public int MemoryLimitInMB { get; }
    public string? TraceId { get; }
    public DateTimeOffset Deadline { get; }
    public TimeSpan RemainingTime => Deadline - _time.GetUtcNow();
    public ILambdaLogger Logger { get; }
}
