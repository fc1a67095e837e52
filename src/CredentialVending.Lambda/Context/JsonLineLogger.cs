using System.Text;
using System.Text.Json;

namespace CredentialVending.Lambda.Context;

/// <summary>Writes one JSON object a line to stdout, which Lambda sends to CloudWatch Logs.</summary>
public sealed class JsonLineLogger : ILambdaLogger
{
    private static readonly Lock Gate = new();
    private readonly TextWriter _out;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;

    public JsonLineLogger(TextWriter output, LogLevel minimum, TimeProvider time)
    {
        _out = output;
        _minimum = minimum;
        _time = time;
    }

    /// <summary>The request id of the invocation being served; set by the loop.</summary>
    public string? RequestId { get; set; }

    public static LogLevel ParseLevel(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "DEBUG" or "TRACE" => LogLevel.Debug,
        "WARN" or "WARNING" => LogLevel.Warn,
        "ERROR" or "FATAL" => LogLevel.Error,
        _ => LogLevel.Info,
    };

    public bool IsEnabled(LogLevel level) => level >= _minimum;

    public void Log(LogLevel level, string message, IReadOnlyList<KeyValuePair<string, string?>>? fields = null, Exception? exception = null)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level.ToString().ToUpperInvariant());
            if (RequestId is not null)
            {
                json.WriteString("requestId", RequestId);
            }

            json.WriteString("message", message);
            if (fields is not null)
            {
                foreach (var (key, value) in fields)
                {
                    json.WriteString(key, value);
                }
            }

            if (exception is not null)
            {
                json.WriteString("errorType", exception.GetType().FullName);
                json.WriteString("stackTrace", exception.ToString());
            }

            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (Gate)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
