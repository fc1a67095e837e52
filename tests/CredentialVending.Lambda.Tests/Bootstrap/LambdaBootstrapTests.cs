using System.Text;
using CredentialVending.Lambda.Bootstrap;
using CredentialVending.Lambda.Client;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Tests.Fakes;

namespace CredentialVending.Lambda.Tests.Bootstrap;

/// <summary>The invocation loop against a fake Runtime API. One class: the loop sets a process-wide variable.</summary>
public sealed class LambdaBootstrapTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly StringWriter _log = new();
    private readonly FakeRuntimeApiClient _client = new();
    private readonly LambdaEnvironment _environment = new("vend", "7", 256, "vend", "127.0.0.1:9001");
    private readonly JsonLineLogger _logger;

    public LambdaBootstrapTests() => _logger = new JsonLineLogger(_log, LogLevel.Debug, _time);

    [Fact]
    public async Task A_response_goes_back_under_the_invocations_request_id()
    {
        _client.Enqueue(Invocation("req-1", "ping"));
        var bootstrap = Bootstrap((payload, _, _) => Task.FromResult(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payload) + "!")));

        Assert.True(await bootstrap.InvokeOnceAsync(CancellationToken.None));

        var (requestId, response) = Assert.Single(_client.Responses);
        Assert.Equal("req-1", requestId);
        Assert.Equal("ping!", Encoding.UTF8.GetString(response));
        Assert.Empty(_client.Errors);
    }

    [Fact]
    public async Task A_handler_that_throws_is_reported_as_that_invocations_error_and_the_loop_serves_the_next()
    {
        _client.Enqueue(Invocation("req-1", "fail")).Enqueue(Invocation("req-2", "ok"));
        var bootstrap = Bootstrap((payload, _, _) => Encoding.UTF8.GetString(payload) == "fail"
            ? throw new InvalidOperationException("The tenant is unknown.")
            : Task.FromResult(payload));

        await RunUntilDrainedAsync(bootstrap);

        var (failedId, error) = Assert.Single(_client.Errors);
        Assert.Equal("req-1", failedId);
        Assert.Equal("InvalidOperationException", error.ErrorType);
        Assert.Equal("The tenant is unknown.", error.ErrorMessage);
        Assert.Equal("req-2", Assert.Single(_client.Responses).RequestId);

        var line = Assert.Single(LogLines.Parse(_log), line => line.Text("level") == "ERROR");
        Assert.Equal("req-1", line.Text("requestId"));
        Assert.Equal("System.InvalidOperationException", line.Text("errorType"));
    }

    [Fact]
    public async Task A_faulted_task_from_the_handler_is_reported_as_that_invocations_error()
    {
        _client.Enqueue(Invocation("req-1", "{}"));
        var bootstrap = Bootstrap(async (_, _, _) =>
        {
            await Task.Yield();
            throw new TimeoutException("STS did not answer.");
        });

        Assert.True(await bootstrap.InvokeOnceAsync(CancellationToken.None));

        Assert.Equal("TimeoutException", Assert.Single(_client.Errors).Error.ErrorType);
        Assert.Empty(_client.Responses);
    }

    [Fact]
    public async Task The_context_carries_the_invocation_and_the_function()
    {
        var deadline = Now.AddSeconds(30);
        _client.Enqueue(new InvocationRequest("req-1", [], deadline.ToUnixTimeMilliseconds(), "arn:aws:lambda:us-east-1:123456789012:function:vend", "Root=1-abc;Sampled=1"));
        ILambdaContext? seen = null;
        TimeSpan remainingAtStart = default, remainingLater = default;
        var bootstrap = Bootstrap((payload, context, _) =>
        {
            seen = context;
            remainingAtStart = context.RemainingTime;
            _time.Advance(TimeSpan.FromSeconds(12));
            remainingLater = context.RemainingTime;
            return Task.FromResult(payload);
        });

        await bootstrap.InvokeOnceAsync(CancellationToken.None);

        Assert.NotNull(seen);
        Assert.Equal("req-1", seen.AwsRequestId);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:vend", seen.InvokedFunctionArn);
        Assert.Equal("Root=1-abc;Sampled=1", seen.TraceId);
        Assert.Equal(deadline, seen.Deadline);
        Assert.Equal(TimeSpan.FromSeconds(30), remainingAtStart);
        Assert.Equal(TimeSpan.FromSeconds(18), remainingLater);
        Assert.Equal("vend", seen.FunctionName);
        Assert.Equal("7", seen.FunctionVersion);
        Assert.Equal(256, seen.MemoryLimitInMB);
        Assert.Same(_logger, seen.Logger);
    }

    [Fact]
    public async Task The_trace_id_is_in_the_environment_while_the_handler_runs()
    {
        _client
            .Enqueue(Invocation("req-1", "{}", traceId: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"))
            .Enqueue(Invocation("req-2", "{}", traceId: "Root=1-5bef4de7-0000000000000000000000002;Sampled=0"))
            .Enqueue(Invocation("req-3", "{}", traceId: null));
        var seen = new List<string?>();
        var bootstrap = Bootstrap((payload, _, _) =>
        {
            seen.Add(Environment.GetEnvironmentVariable(LambdaEnvironment.TraceIdVariable));
            return Task.FromResult(payload);
        });

        await RunUntilDrainedAsync(bootstrap);

        Assert.Equal("_X_AMZN_TRACE_ID", LambdaEnvironment.TraceIdVariable);
        Assert.Equal(
            ["Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1", "Root=1-5bef4de7-0000000000000000000000002;Sampled=0", null],
            seen);
    }

    [Theory]
    [InlineData(typeof(HttpRequestException))]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(InvalidOperationException))]
    public async Task A_failing_next_is_logged_and_waited_out_before_the_loop_asks_again(Type failure)
    {
        _client.EnqueueFailure((Exception)Activator.CreateInstance(failure, "Connection refused.")!);
        var bootstrap = Bootstrap((payload, _, _) => Task.FromResult(payload));

        var invocation = bootstrap.InvokeOnceAsync(CancellationToken.None);
        Assert.False(invocation.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(invocation.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(await invocation.WaitAsync(WaitLimit));
        var line = Assert.Single(LogLines.Parse(_log));
        Assert.Equal("ERROR", line.Text("level"));
        Assert.Equal(failure.FullName, line.Text("errorType"));
        Assert.Null(line.Text("requestId"));
    }

    [Fact]
    public async Task A_failing_next_does_not_end_the_loop()
    {
        _client.EnqueueFailure(new HttpRequestException("Connection refused.")).Enqueue(Invocation("req-1", "{}"));
        var bootstrap = Bootstrap((payload, _, _) => Task.FromResult(payload));
        using var stop = new CancellationTokenSource();
        _client.Drained = stop.Cancel;

        var run = bootstrap.RunAsync(stop.Token);
        Assert.Equal(1, _time.PendingTimers);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await run.WaitAsync(WaitLimit);

        Assert.Equal("req-1", Assert.Single(_client.Responses).RequestId);
    }

    [Fact]
    public async Task A_response_the_runtime_api_refuses_does_not_end_the_loop()
    {
        _client.Enqueue(Invocation("req-1", "{}")).Enqueue(Invocation("req-2", "{}"));
        _client.FailNextAnswer = new HttpRequestException("Payload Too Large", null, System.Net.HttpStatusCode.RequestEntityTooLarge);
        var bootstrap = Bootstrap((payload, _, _) => Task.FromResult(payload));

        await RunUntilDrainedAsync(bootstrap);

        Assert.Equal("req-2", Assert.Single(_client.Responses).RequestId);
        var line = Assert.Single(LogLines.Parse(_log));
        Assert.Equal("req-1", line.Text("requestId"));
        Assert.Equal("System.Net.Http.HttpRequestException", line.Text("errorType"));
    }

    [Fact]
    public async Task An_error_report_the_runtime_api_refuses_does_not_end_the_loop()
    {
        _client.Enqueue(Invocation("req-1", "fail")).Enqueue(Invocation("req-2", "ok"));
        _client.FailNextAnswer = new IOException("Connection reset.");
        var bootstrap = Bootstrap((payload, _, _) => Encoding.UTF8.GetString(payload) == "fail"
            ? throw new InvalidOperationException("Bad.")
            : Task.FromResult(payload));

        await RunUntilDrainedAsync(bootstrap);

        Assert.Empty(_client.Errors);
        Assert.Equal("req-2", Assert.Single(_client.Responses).RequestId);
    }

    [Fact]
    public async Task The_handler_logs_under_the_invocations_request_id_and_only_while_it_runs()
    {
        _client.Enqueue(Invocation("req-1", "{}"));
        var bootstrap = Bootstrap((payload, context, _) =>
        {
            context.Logger.Log(LogLevel.Info, "Vending.", [new("tenant", "acme")]);
            return Task.FromResult(payload);
        });

        await bootstrap.InvokeOnceAsync(CancellationToken.None);
        _logger.Log(LogLevel.Info, "Between invocations.");

        var lines = LogLines.Parse(_log);
        Assert.Equal(2, lines.Count);
        Assert.Equal("req-1", lines[0].Text("requestId"));
        Assert.Equal("acme", lines[0].Text("tenant"));
        Assert.Null(lines[1].Text("requestId"));
    }

    [Fact]
    public async Task Every_line_of_an_invocation_carries_its_trace_id_and_no_line_after_it()
    {
        const string traceId = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
        _client.Enqueue(Invocation("req-1", "fail", traceId));
        var bootstrap = Bootstrap((_, context, _) =>
        {
            context.Logger.Log(LogLevel.Info, "Working.");
            throw new InvalidOperationException("Bad.");
        });

        await bootstrap.InvokeOnceAsync(CancellationToken.None);
        _logger.Log(LogLevel.Info, "Between invocations.");

        var lines = LogLines.Parse(_log);
        Assert.Equal([traceId, traceId, null], lines.Select(l => l.Text("traceId")));
    }

    [Fact]
    public async Task The_initializers_handler_serves_the_invocations()
    {
        _client.Enqueue(Invocation("req-1", "ping"));
        var inits = 0;
        var bootstrap = new LambdaBootstrap(_client, _ =>
        {
            inits++;
            return Task.FromResult<LambdaHandler>((payload, _, _) => Task.FromResult(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payload) + "!")));
        }, _environment, _logger, _time);
        using var stop = new CancellationTokenSource();
        _client.Drained = stop.Cancel;

        Assert.True(await bootstrap.RunAsync(stop.Token).WaitAsync(WaitLimit));

        Assert.Equal(1, inits);
        Assert.Equal("ping!", Encoding.UTF8.GetString(Assert.Single(_client.Responses).Response));
        Assert.Empty(_client.InitializationErrors);
    }

    [Fact]
    public async Task The_loop_ends_quietly_when_cancelled_during_the_long_poll()
    {
        var bootstrap = Bootstrap((payload, _, _) => Task.FromResult(payload));
        using var stop = new CancellationTokenSource();
        _client.Drained = stop.Cancel;

        await bootstrap.RunAsync(stop.Token).WaitAsync(WaitLimit);

        Assert.Empty(_client.Responses);
        Assert.Empty(LogLines.Parse(_log));
    }

    private LambdaBootstrap Bootstrap(LambdaHandler handler) => new(_client, handler, _environment, _logger, _time);

    private async Task RunUntilDrainedAsync(LambdaBootstrap bootstrap)
    {
        using var stop = new CancellationTokenSource();
        _client.Drained = stop.Cancel;
        await bootstrap.RunAsync(stop.Token).WaitAsync(WaitLimit);
    }

    private static InvocationRequest Invocation(string requestId, string payload, string? traceId = "Root=1-00000000-000000000000000000000000") =>
        new(requestId, Encoding.UTF8.GetBytes(payload), Now.AddSeconds(30).ToUnixTimeMilliseconds(), "arn:aws:lambda:us-east-1:123456789012:function:vend", traceId);
}
