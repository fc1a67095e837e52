using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Sts;
using CredentialVending.SystemTests.Hostile;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Metrics;

/// <summary>
/// The EMF record each invocation of the real bootstrap prints (docs/api.md "Metrics"): a vend, a refusal, a failover, a
/// ledger failure and a rate limit each move the metric an operator's alarm reads, with the tenant as a property only.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class EmfMetricsTests(LocalCloud cloud) : IDisposable
{
    [Fact]
    public async Task A_vend_prints_one_record_counting_one_credential_with_the_sts_latency_and_the_tenant_as_a_property()
    {
        var tenant = await cloud.OnboardAsync();
        var token = cloud.Token(tenant, "emf-subject-vend");

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, token));

        Assert.True(answer.Status == 200, answer.ToString());
        var (line, record) = Assert.Single(await RecordsOfAsync(tenant, 1));
        Assert.Empty(EmfRecords.Problems(line));
        Assert.Equal("vend", record.GetProperty("Function").GetString());
        Assert.Equal(1, record.GetProperty("CredentialsIssued").GetInt32());
        Assert.Equal(0, record.GetProperty("StsFailover").GetInt32());
        Assert.Equal(1, record.GetProperty("StsLatency").GetArrayLength());
        Assert.Equal("us-east-1", record.GetProperty("stsRegion").GetString());
        Assert.Equal(200, record.GetProperty("statusCode").GetInt32());
        Assert.False(record.TryGetProperty("Refused", out _));
        Assert.Equal(["Function"], Dimensions(record));
        Assert.DoesNotContain("emf-subject-vend", line, StringComparison.Ordinal);
        Assert.DoesNotContain(answer.Json.GetProperty("credentials").GetProperty("secretAccessKey").GetString()!, line, StringComparison.Ordinal);
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_is_counted_by_its_code_under_the_function_and_code_dimensions()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, token: null));

        Assert.Equal("invalid_token", answer.Code);
        var (line, record) = Assert.Single(await RecordsOfAsync(tenant, 1));
        Assert.Empty(EmfRecords.Problems(line));
        Assert.Equal(1, record.GetProperty("Refused").GetInt32());
        Assert.Equal("invalid_token", record.GetProperty("Code").GetString());
        Assert.Equal(0, record.GetProperty("CredentialsIssued").GetInt32());
        Assert.False(record.TryGetProperty("StsLatency", out _));
        Assert.Equal(["Function", "Function,Code"], Dimensions(record));
    }

    [Fact]
    public async Task A_failover_counts_one_sts_failover_and_names_the_region_that_answered()
    {
        var tenant = await cloud.OnboardAsync();
        cloud.Sts.Faults.Set(StsFault.ServiceUnavailable);

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 200, answer.ToString());
        var (line, record) = Assert.Single(await RecordsOfAsync(tenant, 1));
        Assert.Empty(EmfRecords.Problems(line));
        Assert.Equal(1, record.GetProperty("StsFailover").GetInt32());
        Assert.Equal(1, record.GetProperty("CredentialsIssued").GetInt32());
        Assert.Equal(2, record.GetProperty("StsLatency").GetArrayLength());
        Assert.Equal("us-west-2", record.GetProperty("stsRegion").GetString());
    }

    [Fact]
    public async Task A_ledger_that_fails_after_sts_answered_counts_one_ledger_write_failed_and_a_refusal_unavailable()
    {
        var tenant = await cloud.OnboardAsync();
        var environment = cloud.FunctionEnvironment();
        environment["LEASES_TABLE"] = "leases-table-that-is-gone";
        await using var vend = await cloud.StartAsync("vend", environment);
        var request = Requests.Vend(tenant, cloud.Token(tenant)) with
        {
            RouteKey = "POST /v1/tenants/{tenantId}/credentials",
            PathParameters = new Dictionary<string, string> { ["tenantId"] = tenant },
        };

        var answer = Answer.Parse((await vend.InvokeAsync(HttpApiEvent.Create(request, DateTimeOffset.UtcNow))).Response!);

        Assert.Equal("unavailable", answer.Code);
        var (line, record) = Assert.Single(await RecordsOfAsync(tenant, 1));
        Assert.Empty(EmfRecords.Problems(line));
        Assert.Equal(1, record.GetProperty("LedgerWriteFailed").GetInt32());
        Assert.Equal(0, record.GetProperty("CredentialsIssued").GetInt32());
        Assert.Equal("unavailable", record.GetProperty("Code").GetString());
        Assert.Equal(503, record.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task A_vend_over_the_tenants_rate_limit_counts_rate_limited_and_a_refusal_rate_limited()
    {
        var tenant = await cloud.OnboardAsync(change: d => d["limits"] = new JsonObject { ["requestsPerMinute"] = 1 });

        var first = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));
        var second = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.Equal((200, "rate_limited"), (first.Status, second.Code));
        var records = await RecordsOfAsync(tenant, 2);
        Assert.Equal([0, 1], records.Select(r => r.Record.GetProperty("RateLimited").GetInt32()));
        Assert.Equal("rate_limited", records[1].Record.GetProperty("Code").GetString());
        Assert.All(records, r => Assert.Empty(EmfRecords.Problems(r.Line)));
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);

    public void Dispose() => cloud.Sts.Faults.Clear();

    private static string[] Dimensions(JsonElement record) =>
        [.. record.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray()
            .SelectMany(d => d.GetProperty("Dimensions").EnumerateArray()).Select(set => string.Join(',', set.EnumerateArray().Select(n => n.GetString())))];

    /// <summary>
    /// The vend function's records naming <paramref name="tenant"/> (onboarding it printed the admin function's), in the order printed, once there are <paramref name="count"/>: a line
    /// is printed before the answer is posted, but reaches the test through the process's output pipe a moment later.
    /// </summary>
    private async Task<IReadOnlyList<(string Line, JsonElement Record)>> RecordsOfAsync(string tenant, int count)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var found = cloud.Logs.Where(EmfRecords.IsRecord)
                .Select(line => (Line: line, Record: JsonDocument.Parse(line).RootElement.Clone()))
                .Where(r => r.Record.TryGetProperty("tenantId", out var t) && t.GetString() == tenant && r.Record.GetProperty("Function").GetString() == "vend")
                .ToArray();
            if (found.Length >= count || DateTime.UtcNow > until)
            {
                return found;
            }

            await Task.Delay(50);
        }
    }
}
