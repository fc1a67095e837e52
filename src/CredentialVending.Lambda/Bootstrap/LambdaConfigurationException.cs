namespace CredentialVending.Lambda.Bootstrap;

/// <summary>
/// A function that must not serve as configured (an unknown handler, a setting that would let the wrong callers in).
/// Thrown by the bootstrap's initializer, it is posted to <c>/runtime/init/error</c> and ends the process: Lambda then
/// answers every invocation with an init error rather than running a function that is wrong. Its message is the
/// operator's to read, so it must say what to fix and hold nothing a caller sent.
/// </summary>
public sealed class LambdaConfigurationException : Exception
{
    /// <summary>The error type Lambda reports for it (<c>Lambda-Runtime-Function-Error-Type</c>).</summary>
    public const string ErrorType = "Runtime.InvalidConfiguration";

    public LambdaConfigurationException(string message)
        : base(message)
    {
    }

    public LambdaConfigurationException()
    {
    }

    public LambdaConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
