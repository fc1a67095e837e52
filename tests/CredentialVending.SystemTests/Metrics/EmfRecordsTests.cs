using System.Text.Json.Nodes;
using CredentialVending.Common;

namespace CredentialVending.SystemTests.Metrics;

/// <summary>The EMF check's own tests: it passes what the writer makes and finds each break of the specification's rules.</summary>
public sealed class EmfRecordsTests
{
    public static TheoryData<string, string> Broken => new()
    {
        { "no _aws", """{"Function":"vend"}""" },
        { "a string timestamp", """{"_aws":{"Timestamp":"now","CloudWatchMetrics":[]}}""" },
        { "no directive", """{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]}}""" },
        { "a directive without Metrics", """{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"CredentialVending","Dimensions":[["Function"]]}]},"Function":"vend"}""" },
        { "an unknown unit", Valid(r => r["_aws"]!["CloudWatchMetrics"]![0]!["Metrics"]![0]!["Unit"] = "Things") },
        { "an unknown member of a directive", Valid(r => r["_aws"]!["CloudWatchMetrics"]![0]!["Region"] = "us-east-1") },
        { "a blank namespace", Valid(r => r["_aws"]!["CloudWatchMetrics"]![0]!["Namespace"] = " ") },
        { "another namespace", Valid(r => r["_aws"]!["CloudWatchMetrics"]![0]!["Namespace"] = "Other") },
        { "a dimension that is no member", Valid(r => r.Remove("Function")) },
        { "a dimension that is a number", Valid(r => r["Function"] = 3) },
        { "the tenant as a dimension", Valid(r => r["_aws"]!["CloudWatchMetrics"]![0]!["Dimensions"]![0]!.AsArray().Add("tenantId")) },
        { "a metric that is no member", Valid(r => r.Remove("CredentialsIssued")) },
        { "a metric that is a string", Valid(r => r["CredentialsIssued"] = "1") },
        { "101 values", Valid(r => r["StsLatency"] = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)i)])) },
        { "a timestamp a month old", Valid(r => r["_aws"]!["Timestamp"] = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds()) },
        { "a function that is none", Valid(r => r["Function"] = "other") },
    };

    [Fact]
    public void A_record_the_writer_makes_has_no_problem()
    {
        Assert.Empty(EmfRecords.Problems(Valid(_ => { })));
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_record_that_breaks_a_rule_has_a_problem(string what, string line)
    {
        Assert.True(EmfRecords.Problems(line).Count > 0, $"{what}: no problem found in {line}");
    }

    /// <summary>A record as the functions' writer makes it (a refused vend with an STS call), changed by <paramref name="change"/>.</summary>
    private static string Valid(Action<JsonObject> change)
    {
        var metrics = InvocationMetrics.Begin();
        InvocationMetrics.StsAnswered("us-east-1", InvocationMetrics.StartTimer());
        InvocationMetrics.Refused("rate_limited");
        var record = JsonNode.Parse(EmfRecord.Write(metrics, "vend", "request-1", 429, DateTimeOffset.UtcNow))!.AsObject();
        change(record);
        return record.ToJsonString();
    }
}
