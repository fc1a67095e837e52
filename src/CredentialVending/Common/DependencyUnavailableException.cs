namespace CredentialVending.Common;

/// <summary>
/// STS, DynamoDB or an issuer's JWKS could not be reached or kept throttling after retries: answered 503
/// <c>unavailable</c> with <c>Retry-After</c>. The message names the dependency, never a secret.
/// </summary>
public sealed class DependencyUnavailableException : Exception
{
    public DependencyUnavailableException(string message, TimeSpan retryAfter, Exception? inner = null)
        : base(message, inner) => RetryAfter = retryAfter;

    public DependencyUnavailableException()
    {
    }

    public DependencyUnavailableException(string message)
        : base(message)
    {
    }

    public DependencyUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);
}
