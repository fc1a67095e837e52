using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Tests.Sts;

public sealed class FaultTests : IAsyncLifetime
{
    private StsEmulator _sts = null!;

    public static TheoryData<string, string, int> Faults => new()
    {
        { nameof(StsFaultKind.Throttle), "Throttling", 400 },
        { nameof(StsFaultKind.InternalFailure), "InternalFailure", 500 },
        { nameof(StsFaultKind.ServiceUnavailable), "ServiceUnavailable", 503 },
        { nameof(StsFaultKind.RegionDisabled), "RegionDisabledException", 403 },
        { nameof(StsFaultKind.AccessDenied), "AccessDenied", 403 },
    };

    public async Task InitializeAsync() => _sts = await StsTestKit.StartAsync();

    public async Task DisposeAsync() => await _sts.DisposeAsync();

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Each_fault_reaches_the_sdk_as_sts_says_it(string kind, string code, int status)
    {
        _sts.Faults.Current = new StsFault(Enum.Parse<StsFaultKind>(kind));
        using var client = StsTestKit.Client(_sts);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(client));

        Assert.Equal((code, status), (error.ErrorCode, (int)error.StatusCode));
        Assert.Equal((code, status), (_sts.Calls[^1].ErrorCode, _sts.Calls[^1].StatusCode));
    }

    [Fact]
    public async Task Throttling_says_rate_exceeded_and_is_a_sender_error()
    {
        _sts.Faults.Set(StsFault.Throttle);

        var (status, body, _) = await StsTestKit.PostAsync(_sts, ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"));

        Assert.Equal(400, status);
        Assert.Contains("<Type>Sender</Type>", body, StringComparison.Ordinal);
        Assert.Contains("<Code>Throttling</Code>", body, StringComparison.Ordinal);
        Assert.Contains("<Message>Rate exceeded</Message>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fault_for_the_next_calls_only_clears_itself()
    {
        _sts.Faults.Set(StsFault.ServiceUnavailable, calls: 2);
        using var client = StsTestKit.Client(_sts);

        await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(client));
        await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(client));
        var third = await AssumeAsync(client);

        Assert.NotNull(third.Credentials);
        Assert.Equal(StsFaultKind.None, _sts.Faults.Current.Kind);
        Assert.Equal([503, 503, 200], _sts.Calls.Select(c => c.StatusCode));
    }

    [Fact]
    public async Task The_sdk_retries_faults_when_allowed_to()
    {
        _sts.Faults.Set(StsFault.Throttle, calls: 1);
        using var client = new AmazonSecurityTokenServiceClient(
            new Amazon.Runtime.BasicAWSCredentials(StsTestKit.CallerKey, StsTestKit.CallerSecret),
            new AmazonSecurityTokenServiceConfig { ServiceURL = _sts.Endpoint.ToString(), AuthenticationRegion = _sts.Region, MaxErrorRetry = 2 });

        var response = await AssumeAsync(client);

        Assert.NotNull(response.Credentials);
        Assert.Equal([400, 200], _sts.Calls.Select(c => c.StatusCode));
    }

    [Fact]
    public async Task Hang_shorter_than_the_client_timeout_answers_late()
    {
        _sts.Faults.Set(StsFault.Hang(TimeSpan.FromMilliseconds(600)), calls: 1);
        using var client = StsTestKit.Client(_sts);
        var started = DateTime.UtcNow;

        var response = await AssumeAsync(client);

        Assert.NotNull(response.Credentials);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(550));
    }

    [Fact]
    public async Task Hang_longer_than_the_client_timeout_is_abandoned()
    {
        _sts.Faults.Set(StsFault.Hang(TimeSpan.FromSeconds(30)));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        // One raw request (an unsigned action, so the hang applies before any token check): the AWS SDK may send
        // a timed-out request again on its own, and this test is about what the emulator records for one.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            StsTestKit.PostAsync(_sts, giveUp.Token, ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15")));

        // The emulator notices the client went away and stops waiting, well before the 30 s hang.
        for (var i = 0; i < 50 && _sts.Calls.Count == 0; i++)
        {
            await Task.Delay(100);
        }

        var call = Assert.Single(_sts.Calls);
        Assert.Equal((499, "AssumeRoleWithWebIdentity"), (call.StatusCode, call.Action));
    }

    private static Task<AssumeRoleResponse> AssumeAsync(AmazonSecurityTokenServiceClient client) =>
        client.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "faulty" });
}
