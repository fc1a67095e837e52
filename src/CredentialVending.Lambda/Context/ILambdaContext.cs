namespace CredentialVending.Lambda.Context;

/// <summary>What a function knows of its invocation; named as Amazon.Lambda.Core's ILambdaContext.</summary>
public interface ILambdaContext
{
    string AwsRequestId { get; }
    string FunctionName { get; }
    string FunctionVersion { get; }
    string InvokedFunctionArn { get; }
    int MemoryLimitInMB { get; }
    string? TraceId { get; }
    DateTimeOffset Deadline { get; }
    TimeSpan RemainingTime { get; }
    ILambdaLogger Logger { get; }
}
