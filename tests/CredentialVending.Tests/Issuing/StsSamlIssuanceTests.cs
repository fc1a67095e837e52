using CredentialVending.Common;
using CredentialVending.Identity.Saml;
using CredentialVending.Issuing;

namespace CredentialVending.Tests.Issuing;

/// <summary>
/// docs/api.md "SAML tenants": STS's answer to AssumeRoleWithSAML is held to what the function read, so a response with
/// one signed assertion and one forged one (which STS verified, the function read) never leaves with credentials.
/// </summary>
public class StsSamlIssuanceTests
{
    private static readonly SamlFacts Read = new("alice@acme.example", "https://idp.acme.example/saml", "https://signin.aws.amazon.com/saml", "alice", DateTimeOffset.UnixEpoch);

    private static readonly IssuedCredentials Credentials = new("ASIAEXAMPLEEXAMPLE01", "secret", "token", DateTimeOffset.UnixEpoch, "arn:aws:sts::123456789012:assumed-role/r/alice", null, "us-east-1");

    [Fact]
    public void An_answer_that_repeats_the_subject_issuer_and_audience_read_gives_the_credentials()
    {
        var bound = StsSamlIssuance.Bind(new(Credentials, Read.NameId, Read.Issuer, Read.Recipient), Read);

        Assert.Same(Credentials, bound.Value);
    }

    [Theory]
    [InlineData("mallory@acme.example", "https://idp.acme.example/saml", "https://signin.aws.amazon.com/saml", "Subject")]
    [InlineData("Alice@acme.example", "https://idp.acme.example/saml", "https://signin.aws.amazon.com/saml", "Subject")]
    [InlineData(null, "https://idp.acme.example/saml", "https://signin.aws.amazon.com/saml", "Subject")]
    [InlineData("alice@acme.example", "https://idp.evil.example/saml", "https://signin.aws.amazon.com/saml", "Issuer")]
    [InlineData("alice@acme.example", "https://idp.acme.example/saml", "https://us-east-1.signin.aws.amazon.com/saml", "Audience")]
    [InlineData("alice@acme.example", null, null, "Issuer, Audience")]
    public void An_answer_about_another_assertion_is_502_and_the_credentials_are_dropped(string? subject, string? issuer, string? audience, string named)
    {
        var bound = StsSamlIssuance.Bind(new(Credentials, subject, issuer, audience), Read);

        Assert.Null(bound.Value);
        Assert.Equal(Codes.IssuanceFailed, bound.Refusal?.Code);
        Assert.Contains($"another {named} than", bound.Refusal!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", bound.Refusal.Detail, StringComparison.Ordinal);
    }
}
