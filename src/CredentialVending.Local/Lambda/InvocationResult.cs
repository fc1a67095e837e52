namespace CredentialVending.Local.Lambda;

/// <summary>What one invocation came to: the function's response, or the error it (or the runtime) reported.</summary>
public sealed record InvocationResult(
    string RequestId,
    byte[]? Response,
    string? ErrorType,
    string? ErrorBody,
    TimeSpan Duration,
    TimeSpan? InitDuration)
{
    public bool Succeeded => Response is not null;
}
