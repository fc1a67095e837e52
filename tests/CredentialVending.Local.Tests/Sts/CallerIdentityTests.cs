using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Tests.Sts;

public sealed class CallerIdentityTests : IAsyncLifetime
{
    private StsEmulator _sts = null!;

    public async Task InitializeAsync() => _sts = await StsTestKit.StartAsync();

    public async Task DisposeAsync() => await _sts.DisposeAsync();

    [Fact]
    public async Task Configured_caller_is_an_iam_user()
    {
        using var client = StsTestKit.Client(_sts);

        var identity = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal("arn:aws:iam::123456789012:user/credential-vending-local", identity.Arn);
        Assert.Matches("^AIDA[A-Z2-7]{17}$", identity.UserId);
        Assert.Equal("123456789012", identity.Account);
    }

    [Fact]
    public async Task Vended_session_credentials_are_the_assumed_role()
    {
        using var caller = StsTestKit.Client(_sts);
        var vended = await caller.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.ExternalIdRoleArn, RoleSessionName = "lease-9", ExternalId = StsTestKit.ExternalId });
        var credentials = vended.Credentials;
        using var session = StsTestKit.Client(_sts, new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));

        var identity = await session.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal("arn:aws:sts::123456789012:assumed-role/tenant-globex/lease-9", identity.Arn);
        Assert.Equal(vended.AssumedRoleUser.AssumedRoleId, identity.UserId);
        Assert.Equal("123456789012", identity.Account);
        // Other tests share the emulator: find this call, not merely the last one.
        Assert.Contains(_sts.Calls, c => c.Action == "GetCallerIdentity" && c.SigningAccessKeyId == credentials.AccessKeyId);
    }

    [Fact]
    public async Task Session_token_of_another_session_is_refused()
    {
        using var caller = StsTestKit.Client(_sts);
        var one = (await caller.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "one" })).Credentials;
        var two = (await caller.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "two" })).Credentials;
        using var mixed = StsTestKit.Client(_sts, new SessionAWSCredentials(one.AccessKeyId, one.SecretAccessKey, two.SessionToken));

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => mixed.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.Equal(("InvalidClientTokenId", 403), (error.ErrorCode, (int)error.StatusCode));
    }

    [Fact]
    public async Task Configured_caller_arn_is_answered()
    {
        await using var sts = await StsEmulator.StartAsync(StsTestKit.Options with { CallerArn = "arn:aws:sts::123456789012:assumed-role/credvend-vend/credvend-vend" });
        using var client = StsTestKit.Client(sts);

        var identity = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal("arn:aws:sts::123456789012:assumed-role/credvend-vend/credvend-vend", identity.Arn);
        Assert.Matches("^AROA[A-Z2-7]{17}:credvend-vend$", identity.UserId);
    }
}
