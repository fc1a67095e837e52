using CredentialVending.Brokering;

namespace CredentialVending.Tests.Brokering;

public class BrokerSettingsTests
{
    [Theory]
    [InlineData("alias/credvend", "https://api.example.com", null, "https://api.example.com", "credential-vending")]
    [InlineData(" arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab ", "https://abc.execute-api.us-east-1.amazonaws.com", "sts.amazonaws.com", "https://abc.execute-api.us-east-1.amazonaws.com", "sts.amazonaws.com")]
    [InlineData("alias/credvend", "https://api.example.com/prod", "", "https://api.example.com/prod", "credential-vending")]
    public void Both_settings_make_the_brokered_mode_with_the_default_audience_unless_set(string keyId, string issuer, string? audience, string expectedIssuer, string expectedAudience)
    {
        var read = BrokerSettings.FromVariables(Variables(keyId, issuer, audience), allowInsecureLoopbackIssuers: false);

        Assert.Equal(new BrokerSettings(keyId.Trim(), expectedIssuer, expectedAudience), read.Value);
        Assert.Equal(expectedIssuer + "/.well-known/jwks.json", read.Value!.JwksUri);
    }

    [Fact]
    public void Neither_setting_is_no_brokered_mode_and_no_problem()
    {
        var read = BrokerSettings.FromVariables(Variables(null, null, null), allowInsecureLoopbackIssuers: false);

        Assert.False(read.IsRefused);
        Assert.Null(read.Value);
    }

    [Theory]
    [InlineData("alias/credvend", null, null, false, "BROKER_ISSUER is unset while BROKER_KMS_KEY_ID is set")]
    [InlineData(null, "https://api.example.com", null, false, "BROKER_KMS_KEY_ID is unset while BROKER_ISSUER is set")]
    [InlineData(null, null, "credential-vending", false, "BROKER_AUDIENCE is set without")]
    [InlineData("alias/credvend", "http://api.example.com", null, false, "must be https")]
    [InlineData("alias/credvend", "http://127.0.0.1:4566", null, false, "must be https")]
    [InlineData("alias/credvend", "http://10.0.0.1:4566", null, true, "may be http only on")]
    [InlineData("alias/credvend", "api.example.com", null, false, "is not an absolute URL")]
    [InlineData("alias/credvend", "https://api.example.com/", null, false, "no trailing slash")]
    [InlineData("alias/credvend", "https://api.example.com/?stage=prod", null, false, "must carry no query")]
    [InlineData("alias/credvend", "https://user:pw@api.example.com", null, false, "must not carry user information")]
    public void A_setting_sts_could_not_use_is_refused_naming_it(string? keyId, string? issuer, string? audience, bool loopback, string problem)
    {
        var read = BrokerSettings.FromVariables(Variables(keyId, issuer, audience), loopback);

        Assert.Contains(problem, read.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loopback_http_issuer_is_allowed_with_insecure_loopback_issuers()
    {
        var read = BrokerSettings.FromVariables(Variables("alias/credvend", "http://127.0.0.1:4566", null), allowInsecureLoopbackIssuers: true);

        Assert.Equal("http://127.0.0.1:4566", read.Value!.Issuer);
    }

    private static Func<string, string?> Variables(string? keyId, string? issuer, string? audience) => name => name switch
    {
        "BROKER_KMS_KEY_ID" => keyId,
        "BROKER_ISSUER" => issuer,
        "BROKER_AUDIENCE" => audience,
        _ => null,
    };
}
