namespace CredentialVending.Revocation;

/// <summary>
/// IAM answered the request with a client error (<c>MalformedPolicyDocument</c>, <c>LimitExceeded</c>,
/// <c>NoSuchEntity</c> on a put, <c>AccessDenied</c>...). <see cref="ErrorCode"/> is IAM's code; the message
/// is IAM's own, which names the role or policy but never holds the policy document this service sent.
/// </summary>
public sealed class IamRefusedException : Exception
{
    public IamRefusedException(string errorCode, int statusCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    public IamRefusedException()
    {
    }

    public IamRefusedException(string message)
        : base(message)
    {
    }

    public IamRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>IAM's error code, e.g. <c>MalformedPolicyDocument</c>.</summary>
    public string ErrorCode { get; } = "Unknown";

    /// <summary>The HTTP status IAM answered with.</summary>
    public int StatusCode { get; }
}
