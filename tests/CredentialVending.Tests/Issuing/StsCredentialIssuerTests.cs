using Amazon.Runtime;
using CredentialVending.Common;
using CredentialVending.Issuing;
using CredentialVending.Local.Sts;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Issuing;

public sealed class StsCredentialIssuerTests
{
    [Fact]
    public async Task AssumeRole_answers_credentials_from_the_first_endpoint()
    {
        await using var sts = await StsHarness.StartAsync();
        var before = DateTimeOffset.UtcNow;

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
        var issued = outcome.Value!;
        Assert.StartsWith("ASIA", issued.AccessKeyId, StringComparison.Ordinal);
        Assert.NotEmpty(issued.SecretAccessKey);
        Assert.NotEmpty(issued.SessionToken);
        Assert.Equal("us-east-1", issued.Region);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/tenant-acme/01JDQ3ZV7W5K8Q4T0N9B2XG6AC", issued.AssumedRoleArn);
        Assert.InRange(issued.PackedPolicySize ?? -1, 1, 100);
        Assert.InRange(issued.Expiration, before.AddSeconds(890), DateTimeOffset.UtcNow.AddSeconds(910));
        Assert.Equal(TimeSpan.Zero, issued.Expiration.Offset);
        Assert.DoesNotContain(issued.SecretAccessKey, issued.ToString(), StringComparison.Ordinal);
        Assert.Empty(sts.West.Calls);
    }

    [Fact]
    public async Task AssumeRole_sends_every_part_of_the_request_signed()
    {
        await using var sts = await StsHarness.StartAsync();

        await sts.Issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None);

        var call = Assert.Single(sts.East.Calls);
        Assert.Equal("AssumeRole", call.Action);
        Assert.True(call.Signed);
        Assert.Equal(StsHarness.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(StsHarness.RoleArn, call.RoleArn);
        Assert.Equal("01JDQ3ZV7W5K8Q4T0N9B2XG6AC", call.RoleSessionName);
        Assert.Equal(900, call.DurationSeconds);
        Assert.Equal(StsHarness.ExternalId, call.ExternalId);
        Assert.Equal("alice", call.SourceIdentity);
        Assert.Equal([new("tenant", "acme"), new("subject", "alice")], call.Tags);
        Assert.Contains("s3:GetObject", call.Policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Absent_external_id_and_source_identity_are_not_sent()
    {
        await using var sts = await StsHarness.StartAsync();
        var request = StsHarness.AssumeRole() with { RoleArn = "arn:aws:iam::123456789012:role/open", ExternalId = null, SourceIdentity = null, Tags = [] };

        var outcome = await sts.Issuer.IssueAsync(request, CancellationToken.None);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
        var call = Assert.Single(sts.East.Calls);
        Assert.Null(call.ExternalId);
        Assert.Null(call.SourceIdentity);
        Assert.Empty(call.Tags);
    }

    public static TheoryData<string> PassedOverFaults => ["throttle", "internal", "unavailable", "region-disabled", "hang"];

    [Theory]
    [MemberData(nameof(PassedOverFaults))]
    public async Task A_failing_first_endpoint_is_passed_over_for_the_second(string fault)
    {
        await using var sts = await StsHarness.StartAsync();
        sts.East.Faults.Current = fault switch
        {
            "throttle" => StsFault.Throttle,
            "internal" => StsFault.InternalFailure,
            "unavailable" => StsFault.ServiceUnavailable,
            "region-disabled" => StsFault.RegionDisabled,
            _ => StsFault.Hang(TimeSpan.FromSeconds(30)),
        };

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
        Assert.Equal("us-west-2", outcome.Value!.Region);
        Assert.Single(sts.West.Calls);
    }

    [Fact]
    public async Task An_unreachable_first_endpoint_is_passed_over()
    {
        await using var sts = await StsHarness.StartAsync();
        // Nothing listens on port 1: the connection is refused at once.
        using var issuer = new StsCredentialIssuer(
            [new("us-east-1", new Uri("http://127.0.0.1:1/")), new("us-west-2", sts.West.Endpoint)],
            new BasicAWSCredentials(StsHarness.AccessKeyId, StsHarness.Secret),
            StsHarness.AttemptTimeout);

        var outcome = await issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None);

        Assert.Equal("us-west-2", outcome.Value?.Region);
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_sdk_before_the_endpoint_is_passed_over()
    {
        await using var sts = await StsHarness.StartAsync();
        sts.East.Faults.Set(StsFault.Throttle, calls: 1);

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None);

        Assert.Equal("us-east-1", outcome.Value?.Region);
        Assert.Equal(2, sts.East.Calls.Count);
        Assert.Empty(sts.West.Calls);
    }

    [Fact]
    public async Task AccessDenied_is_issuance_failed_without_trying_the_next_endpoint()
    {
        await using var sts = await StsHarness.StartAsync();
        sts.East.Faults.Current = StsFault.AccessDenied;

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None);

        Assert.Equal(Codes.IssuanceFailed, outcome.Refusal?.Code);
        Assert.Contains("trust policy", outcome.Refusal!.Detail, StringComparison.Ordinal);
        Assert.Single(sts.East.Calls);
        Assert.Empty(sts.West.Calls);
    }

    [Fact]
    public async Task A_wrong_external_id_is_issuance_failed()
    {
        await using var sts = await StsHarness.StartAsync();

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole() with { ExternalId = "not-acme" }, CancellationToken.None);

        Assert.Equal(Codes.IssuanceFailed, outcome.Refusal?.Code);
        Assert.DoesNotContain("not-acme", outcome.Refusal!.Detail, StringComparison.Ordinal);
        Assert.Empty(sts.West.Calls);
    }

    [Fact]
    public async Task A_malformed_session_policy_is_issuance_failed()
    {
        await using var sts = await StsHarness.StartAsync();

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole() with { PolicyJson = """{"Statement":[]}""" }, CancellationToken.None);

        Assert.Equal(Codes.IssuanceFailed, outcome.Refusal?.Code);
    }

    [Fact]
    public async Task Scopes_and_tags_too_large_when_packed_are_invalid_scope()
    {
        await using var sts = await StsHarness.StartAsync();
        var tags = Enumerable.Range(0, 50)
            .Select(i => new KeyValuePair<string, string>($"k{i}-{Guid.NewGuid():N}", string.Concat(Enumerable.Range(0, 7).Select(_ => Guid.NewGuid().ToString("N")))))
            .ToList();

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole(tags: tags), CancellationToken.None);

        Assert.Equal(Codes.InvalidScope, outcome.Refusal?.Code);
        Assert.Contains("too large together", outcome.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duration_over_the_roles_maximum_is_issuance_failed()
    {
        await using var sts = await StsEmulator.StartAsync(new StsEmulatorOptions
        {
            CallerCredentials = new Dictionary<string, string> { [StsHarness.AccessKeyId] = StsHarness.Secret },
            RoleMaxSessionDurationSeconds = 3600,
        });
        using var issuer = new StsCredentialIssuer(
            [new("us-east-1", sts.Endpoint)], new BasicAWSCredentials(StsHarness.AccessKeyId, StsHarness.Secret), StsHarness.AttemptTimeout);

        var outcome = await issuer.IssueAsync(StsHarness.AssumeRole() with { DurationSeconds = 7200 }, CancellationToken.None);

        Assert.Equal(Codes.IssuanceFailed, outcome.Refusal?.Code);
        Assert.Contains("maxDurationSeconds", outcome.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_endpoint_failing_is_unavailable_with_a_retry_after()
    {
        await using var sts = await StsHarness.StartAsync();
        sts.East.Faults.Current = StsFault.ServiceUnavailable;
        sts.West.Faults.Current = StsFault.Throttle;

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => sts.Issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None));

        Assert.InRange(failure.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Contains("us-east-1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("us-west-2", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(StsHarness.Secret, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_endpoint_hanging_is_unavailable_once_the_total_budget_is_spent()
    {
        await using var sts = await StsHarness.StartAsync();
        sts.East.Faults.Current = StsFault.Hang(TimeSpan.FromSeconds(60));
        sts.West.Faults.Current = StsFault.Hang(TimeSpan.FromSeconds(60));
        // Neither the attempt timeout nor the endpoint's own budget would end the hang before the caller gives up.
        using var issuer = new StsCredentialIssuer(
            [new("us-east-1", sts.East.Endpoint), new("us-west-2", sts.West.Endpoint)],
            new BasicAWSCredentials(StsHarness.AccessKeyId, StsHarness.Secret),
            attemptTimeout: TimeSpan.FromSeconds(60),
            endpointBudget: TimeSpan.FromSeconds(60),
            totalBudget: TimeSpan.FromSeconds(1));
        using var caller = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(() => issuer.IssueAsync(StsHarness.AssumeRole(), caller.Token));

        Assert.Equal(TimeSpan.FromSeconds(2), failure.RetryAfter);
        Assert.False(caller.IsCancellationRequested, "the budget answered, not the caller");
    }

    [Fact]
    public async Task The_last_endpoint_hanging_is_cut_off_by_the_total_budget()
    {
        await using var sts = await StsHarness.StartAsync();
        // Region disabled is passed over at once (the SDK retries 5xx with backoff, which would spend the budget on east).
        sts.East.Faults.Current = StsFault.RegionDisabled;
        sts.West.Faults.Current = StsFault.Hang(TimeSpan.FromSeconds(60));
        using var issuer = new StsCredentialIssuer(
            [new("us-east-1", sts.East.Endpoint), new("us-west-2", sts.West.Endpoint)],
            new BasicAWSCredentials(StsHarness.AccessKeyId, StsHarness.Secret),
            attemptTimeout: TimeSpan.FromSeconds(60),
            totalBudget: TimeSpan.FromSeconds(3));
        using var caller = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(() => issuer.IssueAsync(StsHarness.AssumeRole(), caller.Token));

        Assert.Contains("us-west-2", failure.Message, StringComparison.Ordinal);
        Assert.False(caller.IsCancellationRequested, "the budget answered, not the caller");

        // West records the abandoned call once the client has closed it, which may come a moment after the answer.
        for (var waited = 0; sts.West.Calls.Count == 0 && waited < 50; waited++)
        {
            await Task.Delay(100);
        }

        Assert.NotEmpty(sts.West.Calls);
    }

    [Fact]
    public async Task A_caller_cancelling_is_not_a_failover()
    {
        await using var sts = await StsHarness.StartAsync();
        sts.East.Faults.Current = StsFault.Hang(TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sts.Issuer.IssueAsync(StsHarness.AssumeRole(), cancel.Token));

        Assert.Empty(sts.West.Calls);
    }
}
