using System.Globalization;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Lambda;
using CredentialVending.Local.Sts;
using Xunit.Abstractions;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// STS failing on every endpoint, which Routes/VendFaultTests (one endpoint failing; both throttling, with any
/// Retry-After; access denied; the ledger failing) leaves out: the documented answer with its Retry-After (5 s when an endpoint throttled, else
/// 2 s), and a ledger that holds exactly the leases whose credentials were returned.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class StsOutageTests(LocalCloud cloud, ITestOutputHelper output) : IDisposable
{
    public static TheoryData<string, string, string, int> EveryEndpointFailing => new()
    {
        { "assumeRole", "internal", "internal", 2 },
        { "assumeRole", "unavailable", "unavailable", 2 },
        { "assumeRole", "region-disabled", "region-disabled", 2 },
        { "assumeRole", "region-disabled", "unavailable", 2 },
        { "assumeRole", "internal", "throttle", 5 },
        { "assumeRole", "throttle", "throttle", 5 },
        { "webIdentity", "internal", "unavailable", 2 },
        { "webIdentity", "throttle", "throttle", 5 },
    };

    [Theory]
    [MemberData(nameof(EveryEndpointFailing))]
    public async Task Every_endpoint_failing_is_503_unavailable_with_its_retry_after_and_no_lease(string mode, string east, string west, int retryAfter)
    {
        var tenant = await cloud.OnboardAsync(mode);
        cloud.Sts.Faults.Set(Fault(east));
        cloud.StsWest.Faults.Set(Fault(west));
        var (eastCalls, westCalls) = (cloud.Sts.Calls.Count, cloud.StsWest.Calls.Count);

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 503 && answer.Code == "unavailable", answer.ToString());
        Assert.Equal(retryAfter.ToString(CultureInfo.InvariantCulture), answer.Header("retry-after"));
        Assert.True(cloud.Sts.Calls.Count > eastCalls && cloud.StsWest.Calls.Count > westCalls, "both endpoints are tried");
        Assert.DoesNotContain(cloud.Sts.Calls.Concat(cloud.StsWest.Calls), c => c.StatusCode == 200 && c.RoleArn == $"arn:aws:iam::123456789012:role/tenant-{tenant}");
        Assert.Empty(await cloud.AllLeaseItemsAsync(tenant));
    }

    [Theory]
    [InlineData("assumeRole")]
    [InlineData("webIdentity")]
    public async Task Access_denied_after_a_failed_first_endpoint_is_502_issuance_failed_with_no_lease(string mode)
    {
        var tenant = await cloud.OnboardAsync(mode);
        cloud.Sts.Faults.Set(StsFault.InternalFailure);
        cloud.StsWest.Faults.Set(StsFault.AccessDenied);

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 502 && answer.Code == "issuance_failed", answer.ToString());
        Assert.DoesNotContain("arn:aws:iam::", answer.Body, StringComparison.Ordinal);
        Assert.Empty(await cloud.AllLeaseItemsAsync(tenant));
    }

    [Fact]
    public async Task Both_endpoints_hanging_is_503_unavailable_from_the_sts_budget_and_no_lease()
    {
        var tenant = await cloud.OnboardAsync();
        cloud.Sts.Faults.Set(StsFault.Hang(TimeSpan.FromSeconds(60)));
        cloud.StsWest.Faults.Set(StsFault.Hang(TimeSpan.FromSeconds(60)));

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 503 && answer.Code == "unavailable", answer.ToString());
        Assert.Equal("2", answer.Header("retry-after"));
        AssertAnsweredByTheStsBudget(answer);
        Assert.Empty(await cloud.AllLeaseItemsAsync(tenant));
    }

    [Fact]
    public async Task Both_endpoints_hanging_is_503_within_the_templates_10_s_timeout()
    {
        var tenant = await cloud.OnboardAsync();
        // The suite's own functions get 30 s (LocalCloud.FunctionTimeout); this one has the template's 10 s.
        await using var vend = await FunctionInstance.StartAsync(
            new FunctionLaunch { BootstrapPath = LocalCloud.Bootstrap, Handler = "vend", FunctionName = "credvend-vend-10s", Environment = cloud.FunctionEnvironment(), Timeout = TimeSpan.FromSeconds(10) },
            cloud.Logs.Enqueue);
        using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            Assert.True(await vend.WaitReadyAsync(ready.Token));
        }

        // Warm: the JIT build compiles each path on first use, which a loaded machine may make slow; Lambda runs the AOT one.
        Assert.Equal(200, (await InvokeAsync(vend, tenant)).Answer.Status);
        cloud.Sts.Faults.Set(StsFault.InternalFailure);
        cloud.StsWest.Faults.Set(StsFault.InternalFailure);
        Assert.Equal(503, (await InvokeAsync(vend, tenant)).Answer.Status);
        cloud.Sts.Faults.Set(StsFault.Hang(TimeSpan.FromSeconds(30)));
        cloud.StsWest.Faults.Set(StsFault.Hang(TimeSpan.FromSeconds(30)));

        var (answer, duration) = await InvokeAsync(vend, tenant);

        output.WriteLine($"Both STS endpoints hanging: answered {answer.Status} after {duration.TotalSeconds:0.0} s in a function with a 10 s timeout.");
        Assert.True(answer.Status == 503 && answer.Code == "unavailable", answer.ToString());
        Assert.Equal("2", answer.Header("retry-after"));
        AssertAnsweredByTheStsBudget(answer);
        Assert.Single(await cloud.AllLeaseItemsAsync(tenant));
    }

    // The failover loop's own 503 names the endpoints it tried; the host's deadline answer says only "in time".
    private static void AssertAnsweredByTheStsBudget(Answer answer)
    {
        Assert.Contains("No STS endpoint gave a usable answer", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("could not answer in time", answer.Body, StringComparison.Ordinal);
    }

    private async Task<(Answer Answer, TimeSpan Duration)> InvokeAsync(FunctionInstance vend, string tenant)
    {
        var token = cloud.Token(tenant);
        Witness.Authorization("Bearer " + token);
        var request = Requests.Vend(tenant, token) with
        {
            RouteKey = "POST /v1/tenants/{tenantId}/credentials",
            PathParameters = new Dictionary<string, string> { ["tenantId"] = tenant },
        };

        var result = await vend.InvokeAsync(HttpApiEvent.Create(request, DateTimeOffset.UtcNow));

        // A function stopped at its timeout reports Sandbox.Timedout and answers nothing.
        Assert.True(result.Succeeded, $"{result.ErrorType} {result.ErrorBody}");
        var answer = Answer.Parse(result.Response!);
        Witness.Saw(answer.Status, answer.Body, answer.Headers.Select(h => $"{h.Key}: {h.Value}"));
        return (answer, result.Duration);
    }

    [Fact]
    public async Task One_throttled_attempt_is_retried_on_the_same_endpoint()
    {
        var tenant = await cloud.OnboardAsync();
        cloud.Sts.Faults.Set(StsFault.Throttle, calls: 1);

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Equal("us-east-1", answer.Json.GetProperty("stsRegion").GetString());
        await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
    }

    [Fact]
    public async Task Through_intermittent_faults_the_ledger_holds_exactly_the_leases_whose_credentials_were_returned()
    {
        var tenant = await cloud.OnboardAsync();
        var answers = new List<Answer>();
        string[] east = ["internal", "none", "throttle", "region-disabled", "none", "unavailable", "internal", "none"];
        string[] west = ["internal", "none", "access-denied", "none", "unavailable", "none", "throttle", "none"];

        for (var i = 0; i < east.Length; i++)
        {
            cloud.Sts.Faults.Set(Fault(east[i]));
            cloud.StsWest.Faults.Set(Fault(west[i]));
            answers.Add(await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant, $"user{i}"))));
        }

        output.WriteLine(string.Join(", ", answers.Select(a => a.Status)));
        Assert.Equal([503, 200, 502, 200, 200, 200, 503, 200], answers.Select(a => a.Status));
        await cloud.AssertHoldsExactlyAsync(tenant, answers);
    }

    public static TheoryData<string, string> EveryEndpointGarbling => new()
    {
        { "assumeRole", "truncated-xml" },
        { "assumeRole", "html" },
        { "assumeRole", "empty-body" },
        { "assumeRole", "no-credentials" },
        { "assumeRole", "bad-expiration" },
        { "assumeRole", "bad-access-key-id" },
        { "assumeRole", "unreadable-number" },
        { "webIdentity", "truncated-xml" },
        { "webIdentity", "html" },
        { "webIdentity", "no-credentials" },
    };

    [Theory]
    [MemberData(nameof(EveryEndpointGarbling))]
    public async Task Every_endpoint_answering_something_unreadable_is_503_unavailable_and_no_lease(string mode, string garble)
    {
        var tenant = await cloud.OnboardAsync(mode);
        cloud.Sts.Faults.Set(Fault(garble));
        cloud.StsWest.Faults.Set(Fault(garble));

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 503 && answer.Code == "unavailable", answer.ToString());
        Assert.Equal("2", answer.Header("retry-after"));
        Assert.DoesNotContain("ASIA", answer.RawResponse, StringComparison.Ordinal);
        Assert.Empty(await cloud.AllLeaseItemsAsync(tenant));
    }

    [Fact]
    public async Task An_sts_error_code_no_rule_knows_is_502_issuance_failed_and_its_message_is_in_no_log_line()
    {
        var tenant = await cloud.OnboardAsync();
        cloud.Sts.Faults.Set(StsFault.UnmappedError);
        var logsBefore = cloud.Logs.Count;

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 502 && answer.Code == "issuance_failed", answer.ToString());
        Assert.Contains("UnheardOfException", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("private-admin", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(cloud.Logs.Skip(logsBefore), l => l.Contains("private-admin", StringComparison.Ordinal));
        Assert.Empty(await cloud.AllLeaseItemsAsync(tenant));
    }

    [Fact]
    public async Task A_garbled_answer_from_the_first_endpoint_is_passed_over_and_only_the_second_sessions_lease_is_written()
    {
        var tenant = await cloud.OnboardAsync();
        cloud.Sts.Faults.Set(StsFault.TruncatedXml);

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Equal("us-west-2", answer.Json.GetProperty("stsRegion").GetString());
        await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);

    public void Dispose()
    {
        cloud.Sts.Faults.Clear();
        cloud.StsWest.Faults.Clear();
    }

    private static StsFault Fault(string name) => name switch
    {
        "throttle" => StsFault.Throttle,
        "unavailable" => StsFault.ServiceUnavailable,
        "internal" => StsFault.InternalFailure,
        "region-disabled" => StsFault.RegionDisabled,
        "access-denied" => StsFault.AccessDenied,
        "truncated-xml" => StsFault.TruncatedXml,
        "html" => StsFault.Html,
        "empty-body" => StsFault.EmptyBody,
        "no-credentials" => StsFault.NoCredentials,
        "bad-expiration" => StsFault.BadExpiration,
        "bad-access-key-id" => StsFault.BadAccessKeyId,
        "unreadable-number" => StsFault.UnreadableNumber,
        "none" => StsFault.None,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such fault"),
    };
}
