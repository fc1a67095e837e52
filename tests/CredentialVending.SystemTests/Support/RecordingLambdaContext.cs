using System.Collections.Concurrent;
using CredentialVending.Lambda.Context;

namespace CredentialVending.SystemTests.Support;

/// <summary>
/// A Lambda context for a <c>FunctionHost</c> run in the test's own process: every line the function logs is kept in
/// <paramref name="logs"/> (level, message, fields and exception), so a test can look for what must or must not be logged.
/// </summary>
public sealed class RecordingLambdaContext(ConcurrentQueue<string> logs, string functionName) : ILambdaContext
{
    public string AwsRequestId { get; } = Guid.NewGuid().ToString();
    public string FunctionName => functionName;
    public string FunctionVersion => "$LATEST";
    public string InvokedFunctionArn => $"arn:aws:lambda:us-east-1:123456789012:function:{functionName}";
    public int MemoryLimitInMB => 256;
    public string? TraceId => null;
    public DateTimeOffset Deadline { get; } = DateTimeOffset.UtcNow.AddSeconds(10);
    public TimeSpan RemainingTime => Deadline - DateTimeOffset.UtcNow;
    public ILambdaLogger Logger { get; } = new Recorder(logs);

    private sealed class Recorder(ConcurrentQueue<string> logs) : ILambdaLogger
    {
        private readonly ConcurrentDictionary<string, string> _keys = new();

        public bool IsEnabled(LogLevel level) => true;

        public void Log(LogLevel level, string message, IReadOnlyList<KeyValuePair<string, string?>>? fields = null, Exception? exception = null) =>
            logs.Enqueue($"{level} {message} {string.Join(' ', _keys.Select(k => new KeyValuePair<string, string?>(k.Key, k.Value)).Concat(fields ?? []).Select(f => $"{f.Key}={f.Value}"))} {exception}");

        public void AppendKey(string key, string? value)
        {
            if (value is null)
            {
                _keys.TryRemove(key, out _);
            }
            else
            {
                _keys[key] = value;
            }
        }
    }
}
