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
        var logger = new JsonLineLogger(_output, LogLevel.Debug, _time) { RequestId = "req-1" };

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
    public void An_error_line_carries_the_exception_and_stays_on_one_line()
    {
        var logger = new JsonLineLogger(_output, LogLevel.Debug, _time) { RequestId = "req-1" };
        var exception = Thrown(new InvalidOperationException("Line one.\nLine two \"quoted\"."));

        logger.Log(LogLevel.Error, "The function failed.", exception: exception);

        var line = Assert.Single(LogLines.Parse(_output));
        Assert.Equal("ERROR", line.Text("level"));
        Assert.Equal("req-1", line.Text("requestId"));
        Assert.Equal("System.InvalidOperationException", line.Text("errorType"));
        Assert.Equal(exception.ToString(), line.Text("stackTrace"));
        Assert.Contains(nameof(Thrown), line.Text("stackTrace"), StringComparison.Ordinal);
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
