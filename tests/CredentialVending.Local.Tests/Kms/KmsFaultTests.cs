using Amazon.KeyManagementService;
using Amazon.Runtime;
using CredentialVending.Local.Kms;
using CredentialVending.Local.Sts;
using CredentialVending.Local.Tests.Sts;

namespace CredentialVending.Local.Tests.Kms;

public sealed class KmsFaultTests : IAsyncLifetime
{
    private KmsEmulator _kms = null!;
    private string _key = null!;

    public async Task InitializeAsync() => (_kms, _key) = await StartAsync();

    public async Task DisposeAsync() => await _kms.DisposeAsync();

    [Theory]
    [InlineData(StsFaultKind.Throttle, "ThrottlingException", 400)]
    [InlineData(StsFaultKind.InternalFailure, "KMSInternalException", 500)]
    [InlineData(StsFaultKind.ServiceUnavailable, "DependencyTimeoutException", 503)]
    [InlineData(StsFaultKind.AccessDenied, "AccessDeniedException", 400)]
    public async Task A_fault_set_for_one_call_answers_that_call_with_kms_s_error_and_the_next_normally(StsFaultKind kind, string code, int status)
    {
        using var client = Client(_kms);
        _kms.Faults.Set(new StsFault(kind), calls: 1);

        var refused = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => client.SignAsync(KmsEmulatorTests.Sign(_key)));
        var signed = await client.SignAsync(KmsEmulatorTests.Sign(_key));

        Assert.Equal((code, status), (refused.ErrorCode, (int)refused.StatusCode));
        Assert.NotEmpty(signed.Signature.ToArray());
        Assert.Equal([code, null], _kms.Calls.Select(c => c.ErrorCode));
    }

    [Fact]
    public async Task A_hang_outlasts_a_client_that_gives_up_first()
    {
        using var client = Client(_kms, TimeSpan.FromMilliseconds(300));
        _kms.Faults.Set(StsFault.Hang(TimeSpan.FromSeconds(30)));

        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(() => client.SignAsync(KmsEmulatorTests.Sign(_key)));

        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task While_down_every_connection_is_dropped_and_once_up_again_keys_still_sign()
    {
        using var client = Client(_kms);
        _kms.Down = true;

        var dropped = await Record.ExceptionAsync(() => client.SignAsync(KmsEmulatorTests.Sign(_key)));
        _kms.Down = false;
        var signed = await client.SignAsync(KmsEmulatorTests.Sign(_key));

        Assert.NotNull(dropped);
        Assert.IsNotType<AmazonKeyManagementServiceException>(dropped);
        Assert.NotEmpty(signed.Signature.ToArray());
    }

    [Fact]
    public async Task A_disabled_key_set_from_a_test_refuses_to_sign()
    {
        using var client = Client(_kms);
        _kms.SetKeyState(_key, KmsKeyState.Disabled);

        await Assert.ThrowsAsync<Amazon.KeyManagementService.Model.DisabledException>(() => client.SignAsync(KmsEmulatorTests.Sign(_key)));
    }

    /// <summary>An emulator trusting the test kit's caller, with one signing key.</summary>
    internal static async Task<(KmsEmulator Kms, string Key)> StartAsync()
    {
        var kms = await KmsEmulator.StartAsync(new KmsEmulatorOptions
        {
            CallerCredentials = new Dictionary<string, string> { [StsTestKit.CallerKey] = StsTestKit.CallerSecret },
        });
        return (kms, kms.CreateSigningKey());
    }

    internal static AmazonKeyManagementServiceClient Client(KmsEmulator kms, TimeSpan? timeout = null) =>
        new(new BasicAWSCredentials(StsTestKit.CallerKey, StsTestKit.CallerSecret), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = kms.Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        });
}
