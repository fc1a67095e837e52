using System.Text;
using System.Text.Json;

namespace CredentialVending.Lambda.Context;

/// <summary>
/// Writes one log line an event to stdout, which Lambda sends to CloudWatch Logs: a JSON object (the default, and what
/// Lambda's application log level filter reads) or, with <c>AWS_LAMBDA_LOG_FORMAT=Text</c>, Lambda's tab-separated text.
/// </summary>
public sealed class JsonLineLogger : ILambdaLogger
{
    private static readonly Lock Gate = new();
    private readonly TextWriter _out;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;

    // The invocation's keys, in the order they were added; one invocation at a time, as Lambda serves them.
    private readonly List<KeyValuePair<string, string?>> _keys = [];

    public JsonLineLogger(TextWriter output, LogLevel minimum, TimeProvider time, LogFormat format = LogFormat.Json)
    {
        _out = output;
        _minimum = minimum;
        _time = time;
        Format = format;
    }

    public LogFormat Format { get; }

    public LogLevel MinimumLevel => _minimum;

    /// <summary>The request id of the invocation being served, as its lines show it; null between invocations.</summary>
    public string? RequestId
    {
        get
        {
            lock (Gate)
            {
                return _keys.FirstOrDefault(k => k.Key == Keys.RequestId).Value;
            }
        }
    }

    /// <summary>
    /// The logger Lambda's advanced logging controls ask for: <c>AWS_LAMBDA_LOG_LEVEL</c> (set from the function's
    /// <c>LoggingConfig</c>) wins over the function's own <c>LOG_LEVEL</c>; <c>AWS_LAMBDA_LOG_FORMAT</c> picks JSON or Text.
    /// </summary>
    public static JsonLineLogger FromVariables(TextWriter output, Func<string, string?> read, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(read);
        var level = read("AWS_LAMBDA_LOG_LEVEL") is { Length: > 0 } lambdaLevel ? lambdaLevel : read("LOG_LEVEL");
        return new JsonLineLogger(output, ParseLevel(level), time, ParseFormat(read("AWS_LAMBDA_LOG_FORMAT")));
    }

    public static LogLevel ParseLevel(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "DEBUG" or "TRACE" => LogLevel.Debug,
        "WARN" or "WARNING" => LogLevel.Warn,
        "ERROR" or "FATAL" => LogLevel.Error,
        _ => LogLevel.Info,
    };

    /// <summary>Unset or unknown is JSON: the lines stay readable by Lambda's level filter and by Logs Insights.</summary>
    public static LogFormat ParseFormat(string? value) =>
        string.Equals(value?.Trim(), "Text", StringComparison.OrdinalIgnoreCase) ? LogFormat.Text : LogFormat.Json;

    /// <summary>Starts an invocation's lines: its request id and X-Ray trace id on each, until the scope is disposed.</summary>
    public IDisposable BeginInvocation(string requestId, string? traceId)
    {
        lock (Gate)
        {
            _keys.Clear();
            _keys.Add(new(Keys.RequestId, requestId));
            _keys.Add(new(Keys.AwsRequestId, requestId));
            if (traceId is not null)
            {
                _keys.Add(new(Keys.TraceId, traceId));
            }
        }

        return new InvocationScope(this);
    }

    public void AppendKey(string key, string? value)
    {
        lock (Gate)
        {
            var index = _keys.FindIndex(k => k.Key == key);
            if (value is null)
            {
                if (index >= 0)
                {
                    _keys.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                _keys[index] = new(key, value);
            }
            else
            {
                _keys.Add(new(key, value));
            }
        }
    }

    public bool IsEnabled(LogLevel level) => level >= _minimum;

    public void Log(LogLevel level, string message, IReadOnlyList<KeyValuePair<string, string?>>? fields = null, Exception? exception = null)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var timestamp = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        lock (Gate)
        {
            // A field given at the call wins over the invocation's key of the same name: one key a line.
            var keys = fields is null ? _keys : _keys.Where(k => !fields.Any(f => f.Key == k.Key)).ToList();
            var line = Format == LogFormat.Text
                ? TextLine.Write(timestamp, level, keys, message, fields, exception)
                : JsonLine(timestamp, level, keys, message, fields, exception);
            _out.WriteLine(line);
            _out.Flush();
        }
    }

    private static string JsonLine(string timestamp, LogLevel level, IReadOnlyList<KeyValuePair<string, string?>> keys, string message, IReadOnlyList<KeyValuePair<string, string?>>? fields, Exception? exception)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timestamp);
            json.WriteString("level", level.ToString().ToUpperInvariant());
            foreach (var (key, value) in keys)
            {
                json.WriteString(key, value);
            }

            json.WriteString("message", message);
            foreach (var (key, value) in fields ?? [])
            {
                json.WriteString(key, value);
            }

            foreach (var (key, value) in ExceptionFields.Of(exception))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private void EndInvocation()
    {
        lock (Gate)
        {
            _keys.Clear();
        }
    }

    /// <summary>The keys every line of an invocation carries.</summary>
    public static class Keys
    {
        /// <summary>The id the invocation's answer shows; the router may replace Lambda's with the caller's (API Gateway's).</summary>
        public const string RequestId = "requestId";

        /// <summary>Lambda's own request id, which Lambda's START, END and REPORT lines carry.</summary>
        public const string AwsRequestId = "awsRequestId";

        /// <summary>The X-Ray trace id (<c>Lambda-Runtime-Trace-Id</c>).</summary>
        public const string TraceId = "traceId";
    }

    private sealed class InvocationScope(JsonLineLogger logger) : IDisposable
    {
        public void Dispose() => logger.EndInvocation();
    }
}
