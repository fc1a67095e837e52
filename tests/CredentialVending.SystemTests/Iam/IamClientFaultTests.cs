using CredentialVending.Common;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Sts;
using CredentialVending.Revocation;
using CredentialVending.Revocation.Iam;

namespace CredentialVending.SystemTests.Iam;

/// <summary>IAM down, throttling or failing: the SDKs' standard retries, then 503's exception; IAM refusing: no retry.</summary>
public sealed class IamClientFaultTests(IamEmulatorFixture iam) : IClassFixture<IamEmulatorFixture>
{
    private const string PolicyName = "credential-vending-revocations";
    private const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}""";

    public static TheoryData<StsFaultKind> TransientFaults => [StsFaultKind.Throttle, StsFaultKind.InternalFailure, StsFaultKind.ServiceUnavailable];

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task Two_transient_failures_are_retried_and_the_third_attempt_succeeds(StsFaultKind kind)
    {
        var role = CreateRole();
        iam.Emulator.Faults.Set(new StsFault(kind), calls: 2);

        await Client(iam.Emulator.Endpoint).PutAsync(role, PolicyName, Document, CancellationToken.None);

        Assert.Equal(3, CallsOn(role));
        Assert.Equal(Document, iam.Emulator.RolePolicy(role, PolicyName));
    }

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task Three_transient_failures_make_iam_unavailable_with_a_retry_after(StsFaultKind kind)
    {
        var role = CreateRole();
        iam.Emulator.Faults.Set(new StsFault(kind), calls: 3);

        var unavailable = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Client(iam.Emulator.Endpoint).PutAsync(role, PolicyName, Document, CancellationToken.None));

        Assert.Equal(3, CallsOn(role));
        Assert.True(unavailable.RetryAfter > TimeSpan.Zero);
        Assert.Contains("IAM", unavailable.Message, StringComparison.Ordinal);
        Assert.Null(iam.Emulator.RolePolicy(role, PolicyName));
    }

    [Fact]
    public async Task An_iam_that_never_answers_is_unavailable_after_three_timed_out_attempts()
    {
        var role = CreateRole();
        iam.Emulator.Faults.Set(StsFault.Hang(TimeSpan.FromSeconds(30)), calls: 3);
        var options = new IamClientOptions { Endpoint = iam.Emulator.Endpoint, BackoffBase = TimeSpan.FromMilliseconds(10), AttemptTimeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<DependencyUnavailableException>(() =>
            new IamQueryClient(new HttpClient(), IamClientContract.Key, options, TimeProvider.System).GetAsync(role, PolicyName, CancellationToken.None));
    }

    [Fact]
    public async Task An_iam_with_nothing_listening_is_unavailable()
    {
        var nobody = new Uri($"http://127.0.0.1:{LoopbackWebApp.FreePort()}/");

        var unavailable = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Client(nobody).GetAsync("tenant-acme", PolicyName, CancellationToken.None));

        Assert.Contains("cannot connect", unavailable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_denied_is_iam_refusing_and_is_not_retried()
    {
        var role = CreateRole();
        iam.Emulator.Faults.Set(StsFault.AccessDenied, calls: 1);

        var refused = await Assert.ThrowsAsync<IamRefusedException>(() => Client(iam.Emulator.Endpoint).DeleteAsync(role, PolicyName, CancellationToken.None));

        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Equal(1, CallsOn(role));
    }

    [Fact]
    public async Task The_size_limit_is_not_retried_as_throttling()
    {
        var role = CreateRole();
        var huge = Document.Replace("\"Effect\"", $"\"Sid\":\"{new string('A', 10240)}\",\"Effect\"", StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<IamRefusedException>(() => Client(iam.Emulator.Endpoint).PutAsync(role, PolicyName, huge, CancellationToken.None));

        Assert.Equal("LimitExceeded", refused.ErrorCode);
        Assert.Equal(1, CallsOn(role));
        Assert.DoesNotContain(new string('A', 100), refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://iam.amazonaws.com/")]
    [InlineData("http://10.0.0.8:4566/")]
    public void A_client_for_plain_http_beyond_loopback_is_refused(string endpoint)
    {
        var refused = Assert.Throws<ArgumentException>(() => Client(new Uri(endpoint)));

        Assert.Contains("https unless it is on loopback", refused.Message, StringComparison.Ordinal);
    }

    private string CreateRole()
    {
        var name = "tenant-" + Guid.NewGuid().ToString("N")[..12];
        iam.Emulator.CreateRole(name);
        return name;
    }

    private int CallsOn(string role) => iam.Emulator.Calls.Count(c => c.RoleName == role);

    private static IamQueryClient Client(Uri endpoint) =>
        new(new HttpClient(), IamClientContract.Key, new IamClientOptions { Endpoint = endpoint, BackoffBase = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);
}
