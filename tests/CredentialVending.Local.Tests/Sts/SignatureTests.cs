using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Tests.Sts;

public sealed class SignatureTests : IAsyncLifetime
{
    private StsEmulator _sts = null!;

    public async Task InitializeAsync() => _sts = await StsTestKit.StartAsync();

    public async Task DisposeAsync() => await _sts.DisposeAsync();

    [Theory]
    [InlineData("AssumeRole")]
    [InlineData("GetCallerIdentity")]
    [InlineData("DecodeAuthorizationMessage")]
    public async Task Unsigned_calls_are_refused(string action)
    {
        var (status, body, _) = await StsTestKit.PostAsync(_sts,
            ("Action", action), ("Version", "2011-06-15"), ("RoleArn", StsTestKit.RoleArn), ("RoleSessionName", "x1"), ("EncodedMessage", "abc"));

        Assert.Equal(403, status);
        Assert.Contains("<Code>MissingAuthenticationToken</Code>", body, StringComparison.Ordinal);
        Assert.False(Assert.Single(_sts.Calls).Signed);
    }

    [Fact]
    public async Task Wrong_secret_is_signature_does_not_match()
    {
        using var client = StsTestKit.Client(_sts, new BasicAWSCredentials(StsTestKit.CallerKey, "not-the-secret-not-the-secret-not-the-se"));

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(client));

        Assert.Equal(("SignatureDoesNotMatch", 403), (error.ErrorCode, (int)error.StatusCode));
        var call = Assert.Single(_sts.Calls);
        Assert.Equal((true, StsTestKit.CallerKey, 403), (call.Signed, call.SigningAccessKeyId, call.StatusCode));
    }

    [Fact]
    public async Task Unknown_access_key_is_invalid_client_token_id()
    {
        using var client = StsTestKit.Client(_sts, new BasicAWSCredentials("AKIAUNKNOWNUNKNOWN00", StsTestKit.CallerSecret));

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(client));

        Assert.Equal(("InvalidClientTokenId", 403), (error.ErrorCode, (int)error.StatusCode));
    }

    [Fact]
    public async Task Signature_scoped_to_another_region_is_refused()
    {
        using var client = StsTestKit.Client(_sts, region: "us-west-2");

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(client));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Contains("valid region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_keys_without_their_token_are_refused()
    {
        using var caller = StsTestKit.Client(_sts);
        var issued = await AssumeAsync(caller);
        using var tokenless = StsTestKit.Client(_sts, new BasicAWSCredentials(issued.Credentials.AccessKeyId, issued.Credentials.SecretAccessKey));

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => tokenless.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.Equal("InvalidClientTokenId", error.ErrorCode);
    }

    [Fact]
    public async Task Caller_keys_may_carry_a_session_token_as_lambda_role_credentials_do()
    {
        using var client = StsTestKit.Client(_sts, new SessionAWSCredentials(StsTestKit.CallerKey, StsTestKit.CallerSecret, "IQoJb3JpZ2luX2VjEXAMPLE"));

        var response = await AssumeAsync(client);

        Assert.StartsWith("ASIA", response.Credentials.AccessKeyId, StringComparison.Ordinal);
    }

    private static Task<AssumeRoleResponse> AssumeAsync(AmazonSecurityTokenServiceClient client) =>
        client.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "signed-session" });
}
