using System.Text.Json;
using CredentialVending.Local.Dashboard;

namespace CredentialVending.Local.Tests.Dashboard;

/// <summary>The dashboard's figures, read from lines as a function prints them: EMF records by their own directives, and cold REPORT lines.</summary>
public sealed class LiveFiguresTests
{
    private const string Vend = """{"_aws":{"Timestamp":1764615600000,"CloudWatchMetrics":[{"Namespace":"CredentialVending","Dimensions":[["Function"]],"Metrics":[{"Name":"CredentialsIssued","Unit":"Count"},{"Name":"StsLatency","Unit":"Milliseconds"}]}]},"Function":"vend","CredentialsIssued":1,"StsLatency":[12.5,30],"tenantId":"acme"}""";
    private const string Refusal = """{"_aws":{"Timestamp":1764615660000,"CloudWatchMetrics":[{"Namespace":"CredentialVending","Dimensions":[["Function"]],"Metrics":[{"Name":"CredentialsIssued","Unit":"Count"}]},{"Namespace":"CredentialVending","Dimensions":[["Function","Code"]],"Metrics":[{"Name":"Refused","Unit":"Count"}]}]},"Function":"vend","Code":"invalid_token","CredentialsIssued":0,"Refused":1}""";

    [Fact]
    public void Records_are_summed_by_metric_function_code_and_minute_and_timings_keep_their_samples()
    {
        var figures = new LiveFigures();

        figures.Observe("VendFunction", Vend);
        figures.Observe("VendFunction", Vend);
        figures.Observe("VendFunction", Refusal);

        var json = Read(figures);
        Assert.Equal(3, json.GetProperty("records").GetInt32());
        Assert.Equal(2, json.GetProperty("totals").GetProperty("CredentialsIssued").GetDouble());
        Assert.Equal(2, json.GetProperty("byFunction").GetProperty("CredentialsIssued").GetProperty("vend").GetDouble());
        Assert.Equal(1, json.GetProperty("byDimension").GetProperty("Refused").GetProperty("invalid_token").GetDouble());
        Assert.Equal([2.0, 0.0], json.GetProperty("perMinute").GetProperty("CredentialsIssued").EnumerateArray().Select(m => m.GetProperty("value").GetDouble()));
        var sts = json.GetProperty("timings").GetProperty("StsLatency");
        Assert.Equal((4, 30.0, 12.5), (sts.GetProperty("count").GetInt32(), sts.GetProperty("max").GetDouble(), sts.GetProperty("p50").GetDouble()));
        Assert.False(json.GetProperty("timings").TryGetProperty("CredentialsIssued", out _));
    }

    [Fact]
    public void A_report_with_an_init_duration_is_a_cold_start_and_one_without_is_not()
    {
        var figures = new LiveFigures();

        figures.Observe("VendFunction", "REPORT RequestId: 1\tDuration: 3.10 ms\tBilled Duration: 40 ms\tMemory Size: 256 MB\tMax Memory Used: 30 MB\tInit Duration: 36.25 ms");
        figures.Observe("VendFunction", "REPORT RequestId: 2\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\tMax Memory Used: 30 MB");

        var json = Read(figures);
        Assert.Equal(1, json.GetProperty("coldStartCount").GetInt32());
        var cold = Assert.Single(json.GetProperty("coldStarts").EnumerateArray());
        Assert.Equal(("VendFunction", 36.25), (cold.GetProperty("function").GetString(), cold.GetProperty("initMs").GetDouble()));
    }

    [Theory]
    [InlineData("""{"level":"INFO","message":"_aws is only a word here"}""")]
    [InlineData("""{"_aws":"not an object"}""")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"x","Dimensions":[],"Metrics":[{"Name":"Missing"}]}]}}""")]
    [InlineData("""{"_aws": cut""")]
    [InlineData("plain text")]
    public void A_line_that_is_no_readable_record_changes_nothing(string line)
    {
        var figures = new LiveFigures();

        figures.Observe("VendFunction", line);

        var json = Read(figures);
        Assert.Empty(json.GetProperty("totals").EnumerateObject());
        Assert.Equal(0, json.GetProperty("coldStartCount").GetInt32());
    }

    private static JsonElement Read(LiveFigures figures)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            figures.WriteJson(json);
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }
}
