namespace CredentialVending.Lambda.Context;

public enum LogLevel
{
    Debug,
    Info,
    Warn,
    Error,
}

/// <summary>The two log formats of Lambda's advanced logging controls (<c>AWS_LAMBDA_LOG_FORMAT</c>).</summary>
public enum LogFormat
{
    Json,
    Text,
}

/// <summary>Structured logging: one line an event, with the request id, trace id and keys of the invocation.</summary>
public interface ILambdaLogger
{
    bool IsEnabled(LogLevel level);

    /// <summary>Writes one line. <paramref name="fields"/> must never hold a secret, a session token or a caller's token.</summary>
    void Log(LogLevel level, string message, IReadOnlyList<KeyValuePair<string, string?>>? fields = null, Exception? exception = null);

    /// <summary>
    /// Adds <paramref name="key"/> to every later line of the invocation being served, replacing its value if it has one
    /// (null removes it): what is known once per invocation (tenant, lease) is said once, not at each call. As Powertools'
    /// <c>Logger.AppendKey</c>; the loop clears the keys when the invocation ends.
    /// </summary>
    void AppendKey(string key, string? value);
}
