using System.Text.Json;
using CredentialVending.Common;

namespace CredentialVending.Tests.Common;

public sealed class EmfRecordTests
{
    // Lambda's ApplicationLogLevel names (as AWS_LAMBDA_LOG_LEVEL carries them), and what a record needs to pass each.
    [Theory]
    [InlineData(null, "INFO")]
    [InlineData("", "INFO")]
    [InlineData("TRACE", "INFO")]
    [InlineData("DEBUG", "INFO")]
    [InlineData("INFO", "INFO")]
    [InlineData("WARN", "WARN")]
    [InlineData("warn", "WARN")]
    [InlineData("ERROR", "ERROR")]
    [InlineData("FATAL", "FATAL")]
    [InlineData("loud", "INFO")]
    public void A_record_takes_the_level_lambdas_log_filter_keeps_at_each_application_log_level(string? applicationLogLevel, string level)
    {
        Assert.Equal(level, EmfRecord.LevelFor(applicationLogLevel));
    }

    [Fact]
    public void A_record_carries_its_level_as_a_top_level_string_no_directive_names()
    {
        var metrics = InvocationMetrics.Begin();

        using var record = JsonDocument.Parse(EmfRecord.Write(metrics, "vend", "request-1", 200, DateTimeOffset.UtcNow, "ERROR"));

        Assert.Equal("ERROR", record.RootElement.GetProperty("level").GetString());
        var directives = record.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray();
        Assert.DoesNotContain(directives, d => d.GetProperty("Metrics").EnumerateArray().Any(m => m.GetProperty("Name").GetString() == "level")
            || d.GetProperty("Dimensions").EnumerateArray().Any(set => set.EnumerateArray().Any(n => n.GetString() == "level")));
    }
}
