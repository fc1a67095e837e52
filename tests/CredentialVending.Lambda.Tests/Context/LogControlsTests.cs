using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Tests.Fakes;

namespace CredentialVending.Lambda.Tests.Context;

/// <summary>Lambda's advanced logging controls: <c>AWS_LAMBDA_LOG_LEVEL</c> and <c>AWS_LAMBDA_LOG_FORMAT</c>.</summary>
public sealed class LogControlsTests
{
    private readonly StringWriter _output = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 11, 22, 12, 30, 45, 123, TimeSpan.Zero));

    [Theory]
    [InlineData("ERROR", "debug", LogLevel.Error)]
    [InlineData("DEBUG", "error", LogLevel.Debug)]
    [InlineData("WARN", null, LogLevel.Warn)]
    [InlineData("TRACE", null, LogLevel.Debug)]
    [InlineData("FATAL", "info", LogLevel.Error)]
    [InlineData(null, "warn", LogLevel.Warn)]
    [InlineData("", "error", LogLevel.Error)]
    [InlineData(null, null, LogLevel.Info)]
    public void Lambdas_log_level_wins_over_the_functions_own(string? lambdaLevel, string? functionLevel, LogLevel expected)
    {
        var logger = FromVariables(new() { ["AWS_LAMBDA_LOG_LEVEL"] = lambdaLevel, ["LOG_LEVEL"] = functionLevel });

        Assert.Equal(expected, logger.MinimumLevel);
    }

    [Theory]
    [InlineData("JSON", LogFormat.Json)]
    [InlineData("Text", LogFormat.Text)]
    [InlineData("TEXT", LogFormat.Text)]
    [InlineData(" text ", LogFormat.Text)]
    [InlineData("", LogFormat.Json)]
    [InlineData("xml", LogFormat.Json)]
    [InlineData(null, LogFormat.Json)]
    public void The_format_is_lambdas_and_json_unless_text_is_asked(string? value, LogFormat expected) =>
        Assert.Equal(expected, FromVariables(new() { ["AWS_LAMBDA_LOG_FORMAT"] = value }).Format);

    [Fact]
    public void A_text_line_is_timestamp_request_id_level_and_message_then_the_keys()
    {
        var logger = FromVariables(new() { ["AWS_LAMBDA_LOG_FORMAT"] = "Text" });
        using var invocation = logger.BeginInvocation("req-1", "Root=1-abc");
        logger.AppendKey("tenantId", "acme");

        logger.Log(LogLevel.Warn, "Slow STS endpoint.", [new("stsRegion", "us-east-1")]);

        Assert.Equal(
            "2025-11-22T12:30:45.123Z\treq-1\tWARN\tSlow STS endpoint.\tawsRequestId=req-1\ttraceId=Root=1-abc\ttenantId=acme\tstsRegion=us-east-1" + Environment.NewLine,
            _output.ToString());
    }

    [Theory]
    [InlineData("evil\n2025-11-22T00:00:00.000Z\tforged\tERROR\tline", "evil\\n2025-11-22T00:00:00.000Z\\tforged\\tERROR\\tline")]
    [InlineData("cr\rhere", "cr\\rhere")]
    [InlineData("bell\u0007", "bell\\u0007")]
    public void A_text_value_cannot_start_a_line_of_its_own(string value, string written)
    {
        var logger = FromVariables(new() { ["AWS_LAMBDA_LOG_FORMAT"] = "Text" });

        logger.Log(LogLevel.Info, "Refused.", [new("tenantId", value)]);

        var text = _output.ToString();
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("\ttenantId=" + written + Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_error_line_names_the_exceptions_types_on_one_line()
    {
        var logger = FromVariables(new() { ["AWS_LAMBDA_LOG_FORMAT"] = "Text" });

        logger.Log(LogLevel.Error, "The route failed.", exception: new InvalidOperationException("secret-message", new IOException("inner-secret")));

        var text = _output.ToString();
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\terrorType=System.InvalidOperationException\tinnerErrorTypes=System.IO.IOException", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
    }

    private JsonLineLogger FromVariables(Dictionary<string, string?> variables) =>
        JsonLineLogger.FromVariables(_output, name => variables.GetValueOrDefault(name), _time);
}
