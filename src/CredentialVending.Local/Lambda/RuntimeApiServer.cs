using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Local.Lambda;

/// <summary>
/// An emulator of the Lambda Runtime API (2018-06-01) on loopback, for one execution environment:
/// it hands events out on <c>/invocation/next</c> and collects what the function answers.
/// For development and tests; Lambda's own Runtime API is the contract it follows.
/// </summary>
public sealed class RuntimeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new();
    private readonly TaskCompletionSource _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RuntimeApiServer(WebApplication app) => _app = app;

    /// <summary><c>127.0.0.1:PORT</c>, the value of <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = string.Empty;

    public string FunctionArn { get; set; } = "arn:aws:lambda:us-east-1:123456789012:function:local";

    /// <summary>Completes when the runtime first asks for an event: its init is over.</summary>
    public Task FirstNext => _firstNext.Task;

    /// <summary>Completes with the error body when the runtime reports an init error.</summary>
    public Task<string> InitError => _initError.Task;

    public static async Task<RuntimeApiServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = LoopbackWebApp.CreateBuilder();
        var app = builder.Build();
        var server = new RuntimeApiServer(app);
        app.MapGet("/2018-06-01/runtime/invocation/next", server.NextAsync);
        app.MapPost("/2018-06-01/runtime/invocation/{id}/response", (string id, HttpRequest request) => server.CompleteAsync(id, request, error: false));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/error", (string id, HttpRequest request) => server.CompleteAsync(id, request, error: true));
        app.MapPost("/2018-06-01/runtime/init/error", server.InitErrorAsync);
        var uri = await LoopbackWebApp.StartAsync(app, cancellationToken).ConfigureAwait(false);
        server.Address = $"{uri.Host}:{uri.Port}";
        return server;
    }

    /// <summary>Queues an event and waits for the function's answer.</summary>
    public async Task<(byte[]? Response, string? ErrorType, string? ErrorBody, TimeSpan Duration)> InvokeAsync(
        string requestId, byte[] payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = new Pending(requestId, payload, DateTimeOffset.UtcNow.Add(timeout));
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails every invocation not yet answered (the process died or timed out).</summary>
    public void FailPending(string errorType, string message)
    {
        while (_queue.Reader.TryRead(out var queued))
        {
            _inFlight[queued.RequestId] = queued;
        }

        foreach (var pending in _inFlight.Values)
        {
            pending.Answer.TrySetResult((null, errorType, $$"""{"errorMessage":"{{message}}","errorType":"{{errorType}}"}""", pending.Elapsed));
        }

        _inFlight.Clear();
    }

    private async Task NextAsync(HttpContext http)
    {
        _firstNext.TrySetResult();
        var pending = await _queue.Reader.ReadAsync(http.RequestAborted).ConfigureAwait(false);
        pending.Started = System.Diagnostics.Stopwatch.GetTimestamp();
        _inFlight[pending.RequestId] = pending;
        var headers = http.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = pending.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Guid.NewGuid():N}"[..40] + ";Sampled=0";
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(pending.Payload, http.RequestAborted).ConfigureAwait(false);
    }

    private async Task<IResult> CompleteAsync(string id, HttpRequest request, bool error)
    {
        if (!_inFlight.TryRemove(id, out var pending))
        {
            return Results.Json(new { errorMessage = $"Invalid request ID: {id}", errorType = "InvalidRequestID" }, statusCode: 400);
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body).ConfigureAwait(false);
        var bytes = body.ToArray();
        pending.Answer.TrySetResult(error
            ? (null, request.Headers["Lambda-Runtime-Function-Error-Type"].ToString(), System.Text.Encoding.UTF8.GetString(bytes), pending.Elapsed)
            : (bytes, null, null, pending.Elapsed));
        return Results.Json(new { status = "OK" }, statusCode: 202);
    }

    private async Task<IResult> InitErrorAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        _initError.TrySetResult(await reader.ReadToEndAsync().ConfigureAwait(false));
        return Results.Json(new { status = "OK" }, statusCode: 202);
    }

    public async ValueTask DisposeAsync()
    {
        FailPending("Runtime.Stopped", "The Runtime API stopped.");
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Pending(string requestId, byte[] payload, DateTimeOffset deadline)
    {
        public string RequestId { get; } = requestId;
        public byte[] Payload { get; } = payload;
        public DateTimeOffset Deadline { get; } = deadline;
        public long Started { get; set; }
        public TimeSpan Elapsed => Started == 0 ? TimeSpan.Zero : System.Diagnostics.Stopwatch.GetElapsedTime(Started);

        public TaskCompletionSource<(byte[]? Response, string? ErrorType, string? ErrorBody, TimeSpan Duration)> Answer { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
