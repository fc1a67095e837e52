using System.Text.Json;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Tests.Fakes;

namespace CredentialVending.Lambda.Tests.Context;

public sealed class JsonLineLoggerTests
{
    private readonly StringWriter _output = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 11, 22, 12, 30, 45, 123, TimeSpan.Zero));

    [Fact]
    public void Each_call_writes_one_json_object_on_one_line()
    {
        var logger = new JsonLineLogger(_output, LogLevel.Debug, _time);
        using var invocation = logger.BeginInvocation("req-1", traceId: null);

        logger.Log(LogLevel.Info, "Vended.", [new("tenant", "acme"), new("leaseId", "01JDCV0000000000000000000"), new("absent", null)]);
        logger.Log(LogLevel.Warn, "Slow STS endpoint.");

        var lines = LogLines.Parse(_output);
        Assert.Equal(2, lines.Count);
        var first = lines[0];
        Assert.Equal("2025-11-22T12:30:45.123Z", first.Text("timestamp"));
        Assert.Equal("INFO", first.Text("level"));
        Assert.Equal("req-1", first.Text("requestId"));
        Assert.Equal("Vended.", first.Text("message"));
        Assert.Equal("acme", first.Text("tenant"));
        Assert.Equal("01JDCV0000000000000000000", first.Text("leaseId"));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("absent").ValueKind);
        Assert.Equal("WARN", lines[1].Text("level"));
    }

    [Fact]
    public void A_line_outside_an_invocation_has_no_request_id()
    {
        var logger = new JsonLineLogger(_output, LogLevel.Debug, _time);

        logger.Log(LogLevel.Info, "Starting.");

        Assert.False(Assert.Single(LogLines.Parse(_output)).TryGetProperty("requestId", out _));
    }

    [Fact]
    public void An_error_line_carries_the_exceptions_type_and_stack_but_never_its_message()
    {
        var logger = new JsonLineLogger(_output, LogLevel.Debug, _time);
        using var invocation = logger.BeginInvocation("req-1", traceId: null);
        var exception = Thrown(new InvalidOperationException("Tenant acme-secret-key.\nLine two \"quoted\"."));

        logger.Log(LogLevel.Error, "The function failed.", exception: exception);

        var line = Assert.Single(LogLines.Parse(_output));
        Assert.Equal("ERROR", line.Text("level"));
        Assert.Equal("req-1", line.Text("requestId"));
        Assert.Equal("System.InvalidOperationException", line.Text("errorType"));
        Assert.Contains(nameof(Thrown), line.Text("stackTrace"), StringComparison.Ordinal);
        Assert.DoesNotContain("acme-secret-key", line.GetRawText(), StringComparison.Ordinal);
        Assert.Null(line.Text("innerErrorTypes"));
    }

    [Fact]
    public void An_error_line_names_every_inner_exceptions_type_and_none_of_their_messages()
    {
        var logger = new JsonLineLogger(_output, LogLevel.Debug, _time);
        var inner = Thrown(new IOException("read key tenant#alice", Thrown(new TimeoutException("after 2 s"))));
        var exception = Thrown(new InvalidOperationException("The lease could not be written.", inner));

        logger.Log(LogLevel.Error, "The route failed.", exception: exception);

        var line = Assert.Single(LogLines.Parse(_output));
        Assert.Equal("System.InvalidOperationException", line.Text("errorType"));
        Assert.Equal("System.IO.IOException,System.TimeoutException", line.Text("innerErrorTypes"));
        Assert.Contains("System.TimeoutException", line.Text("stackTrace"), StringComparison.Ordinal);
        Assert.DoesNotContain("tenant#alice", line.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("after 2 s", line.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_exception_of_an_aggregate_is_named()
    {
        var logger = new JsonLineLogger(_output, LogLevel.Debug, _time);

        logger.Log(LogLevel.Error, "Both endpoints failed.", exception: new AggregateException(new HttpRequestException("east"), new TimeoutException("west")));

        Assert.Equal("System.Net.Http.HttpRequestException,System.TimeoutException", Assert.Single(LogLines.Parse(_output)).Text("innerErrorTypes"));
    }

    [Theory]
    [InlineData(LogLevel.Debug, LogLevel.Debug, true)]
    [InlineData(LogLevel.Info, LogLevel.Debug, false)]
    [InlineData(LogLevel.Info, LogLevel.Info, true)]
    [InlineData(LogLevel.Info, LogLevel.Warn, true)]
    [InlineData(LogLevel.Warn, LogLevel.Info, false)]
    [InlineData(LogLevel.Error, LogLevel.Warn, false)]
    [InlineData(LogLevel.Error, LogLevel.Error, true)]
    public void A_line_is_written_only_at_or_above_the_minimum_level(LogLevel minimum, LogLevel level, bool written)
    {
        var logger = new JsonLineLogger(_output, minimum, _time);

        logger.Log(level, "Something.");

        Assert.Equal(written, logger.IsEnabled(level));
        Assert.Equal(written ? 1 : 0, LogLines.Parse(_output).Count);
    }

    [Theory]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("trace", LogLevel.Debug)]
    [InlineData("Info", LogLevel.Info)]
    [InlineData(" warn ", LogLevel.Warn)]
    [InlineData("WARNING", LogLevel.Warn)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("FATAL", LogLevel.Error)]
    [InlineData("", LogLevel.Info)]
    [InlineData("verbose", LogLevel.Info)]
    [InlineData(null, LogLevel.Info)]
    public void The_level_is_read_from_lambdas_level_names(string? value, LogLevel expected) =>
        Assert.Equal(expected, JsonLineLogger.ParseLevel(value));

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
#pragma warning disable CA1031 // The test wants the exception back with its stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }
}
