namespace CredentialVending.Lambda.Context;

public enum LogLevel
{
    Debug,
    Info,
    Warn,
    Error,
}

/// <summary>Structured logging: one JSON object a line, with the request id of the invocation.</summary>
public interface ILambdaLogger
{
    bool IsEnabled(LogLevel level);

    /// <summary>Writes one line. <paramref name="fields"/> must never hold a secret, a session token or a caller's token.</summary>
    void Log(LogLevel level, string message, IReadOnlyList<KeyValuePair<string, string?>>? fields = null, Exception? exception = null);
}
