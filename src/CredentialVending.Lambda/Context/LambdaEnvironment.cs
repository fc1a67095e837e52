namespace CredentialVending.Lambda.Context;

/// <summary>The variables Lambda sets for every function, read once at start.</summary>
public sealed record LambdaEnvironment(
    string FunctionName,
    string FunctionVersion,
    int MemoryLimitInMB,
    string? Handler,
    string? RuntimeApi)
{
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    public static LambdaEnvironment FromVariables(Func<string, string?> read) => new(
        FunctionName: read("AWS_LAMBDA_FUNCTION_NAME") ?? "local",
        FunctionVersion: read("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST",
        MemoryLimitInMB: int.TryParse(read("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), out var memory) ? memory : 128,
        Handler: read("_HANDLER"),
        RuntimeApi: read("AWS_LAMBDA_RUNTIME_API"));

    public static LambdaEnvironment FromProcess() => FromVariables(Environment.GetEnvironmentVariable);
}
