namespace CredentialVending.Lambda.Client;

/// <summary>One invocation as the Runtime API hands it out from <c>/invocation/next</c>.</summary>
public sealed record InvocationRequest(
    string RequestId,
    byte[] Payload,
    long DeadlineMs,
    string InvokedFunctionArn,
    string? TraceId);
