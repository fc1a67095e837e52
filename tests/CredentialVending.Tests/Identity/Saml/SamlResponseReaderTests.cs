using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Identity.Saml;
using static CredentialVending.Tests.Identity.Saml.SamlSamples;

namespace CredentialVending.Tests.Identity.Saml;

/// <summary>docs/api.md "SAML tenants": what the vend function reads of a SAML response before STS, and every shape it refuses.</summary>
public class SamlResponseReaderTests
{
    private static Outcome<CredentialVending.Identity.Caller> Read(string xml, DateTimeOffset? now = null) =>
        SamlResponseReader.Read(Base64(xml), Tenant, now ?? Now);

    [Fact]
    public void A_good_response_names_the_subject_the_claims_and_what_STS_must_answer()
    {
        var caller = Read(Response).Value!;

        Assert.Equal("alice@acme.example", caller.Subject);
        Assert.Equal("https://idp.acme.example/saml", caller.Issuer);
        Assert.Equal(["editors", "admins"], caller.Claims.GetValues("groups"));
        Assert.Equal("acme", caller.Claims.GetString("tenant"));
        Assert.Equal(Now.ToUnixTimeSeconds(), caller.Claims.TryGet("iat", out var iat) ? iat.GetInt64() : 0);
        Assert.Equal(new SamlFacts("alice@acme.example", "https://idp.acme.example/saml", "https://signin.aws.amazon.com/saml", "alice@acme.example", Now), caller.Saml);
        Assert.Equal(Base64(Response), caller.RawToken);
    }

    [Theory]
    [InlineData("https://signin.aws.amazon.com/saml", true)]
    [InlineData("https://us-east-1.signin.aws.amazon.com/saml", true)]
    [InlineData("https://eu-central-1.signin.aws.amazon.com/saml", true)]
    [InlineData("https://us-gov-west-1.signin.aws.amazon.com/saml", true)]
    [InlineData("http://signin.aws.amazon.com/saml", false)]
    [InlineData("https://signin.aws.amazon.com/saml/", false)]
    [InlineData("https://evil.example/signin.aws.amazon.com/saml", false)]
    [InlineData("https://evil.signin.aws.amazon.com/saml", false)]
    [InlineData("https://signin.aws.amazon.com.evil.example/saml", false)]
    [InlineData("https://signin.aws.amazon.com/saml\n", false)]
    [InlineData("urn:amazon:webservices", false)]
    public void Only_AWS_sign_in_endpoints_are_audiences(string url, bool accepted) =>
        Assert.Equal(accepted, SamlResponseReader.IsSignInEndpoint(url));

    [Theory]
    [InlineData("a regional audience and recipient", "https://signin.aws.amazon.com/saml</saml:Audience>", "https://us-west-2.signin.aws.amazon.com/saml</saml:Audience>")]
    [InlineData("the role and provider in the other order", RoleValue, "arn:aws:iam::123456789012:saml-provider/acme-idp,arn:aws:iam::123456789012:role/tenant-acme")]
    [InlineData("another role beside the tenant's", "<saml:AttributeValue>arn:aws:iam::123456789012:role/tenant-acme,", "<saml:AttributeValue>arn:aws:iam::123456789012:role/other,arn:aws:iam::123456789012:saml-provider/acme-idp</saml:AttributeValue><saml:AttributeValue>arn:aws:iam::123456789012:role/tenant-acme,")]
    [InlineData("a CDATA subject", ">alice@acme.example</saml:NameID>", "><![CDATA[alice@acme.example]]></saml:NameID>")]
    [InlineData("no Conditions times", "<saml:Conditions NotBefore=\"2026-12-01T12:00:00Z\" NotOnOrAfter=\"2026-12-01T12:05:00Z\">", "<saml:Conditions>")]
    [InlineData("no Response Issuer", "<saml:Issuer>https://idp.acme.example/saml</saml:Issuer>\n  <samlp:Status>", "<samlp:Status>")]
    [InlineData("other prefixes", "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r1\"", "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" xmlns:s2=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r1\"")]
    public void A_response_in_another_accepted_shape_is_read(string why, string find, string replace)
    {
        var outcome = Read(Edit(find, replace));

        Assert.True(outcome.Refusal is null, $"{why}: {outcome.Refusal?.Detail}");
    }

    [Theory]
    // the XML itself
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>", "holds a DTD")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;\">]>", "holds a DTD")]
    [InlineData(">alice@acme.example</saml:NameID>", ">alice@acme.example<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\"/></saml:NameID>", "something other than text")]
    [InlineData("<saml:Subject>", "<saml:Subject><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\"/>", "XInclude")]
    [InlineData("</samlp:Response>", "", "is not well-formed XML")]
    [InlineData("<samlp:Response ", "<samlp:AuthnRequest ", "is not a SAML 2.0 Response")]
    // comment truncation: alice@acme.example.evil.example read as alice@acme.example by a first-text-node reader
    [InlineData(">alice@acme.example</saml:NameID>", ">alice@acme.example<!---->.evil.example</saml:NameID>", "comment")]
    [InlineData(">https://idp.acme.example/saml</saml:Issuer>\n    <saml:Subject>", ">https://idp.acme.example/saml<!--x--></saml:Issuer>\n    <saml:Subject>", "comment")]
    [InlineData("<saml:AttributeValue>acme</saml:AttributeValue>", "<saml:AttributeValue>ac<?pi x?>me</saml:AttributeValue>", "processing instruction")]
    [InlineData(">alice@acme.example</saml:NameID>", ">alice@acme.example<b>x</b></saml:NameID>", "something other than text")]
    // one assertion, in its place, in the clear
    [InlineData("</samlp:Response>", "<saml:Assertion ID=\"_a2\"/></samlp:Response>", "more than one Assertion")]
    [InlineData("<samlp:Status>", "<samlp:Extensions><saml:Assertion ID=\"_a0\"/></samlp:Extensions><samlp:Status>", "more than one Assertion")]
    [InlineData("<saml:Subject>", "<saml:Subject><x:Assertion xmlns:x=\"urn:oasis:names:tc:SAML:1.0:assertion\"/>", "more than one Assertion")]
    [InlineData("</samlp:Response>", "<saml:EncryptedAssertion/></samlp:Response>", "EncryptedAssertion")]
    // the status and the issuer
    [InlineData("status:Success", "status:Requester", "does not have a Success status")]
    [InlineData(">https://idp.acme.example/saml</saml:Issuer>\n    <saml:Subject>", ">https://idp.evil.example/saml</saml:Issuer>\n    <saml:Subject>", "is not issued by the tenant's identity provider")]
    [InlineData(">https://idp.acme.example/saml</saml:Issuer>\n  <samlp:Status>", ">https://idp.evil.example/saml</saml:Issuer>\n  <samlp:Status>", "is not issued by the tenant's identity provider")]
    [InlineData("<saml:Subject>", "<saml:Issuer>https://idp.acme.example/saml</saml:Issuer><saml:Subject>", "the Assertion's Issuer twice")]
    // audience and recipient
    [InlineData("<saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience>", "<saml:Audience>https://app.evil.example/saml</saml:Audience>", "is not for AWS")]
    [InlineData("</saml:AudienceRestriction>", "</saml:AudienceRestriction><saml:AudienceRestriction><saml:Audience>https://app.evil.example</saml:Audience></saml:AudienceRestriction>", "is not for AWS")]
    [InlineData("<saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction>", "", "is not for AWS")]
    [InlineData("Recipient=\"https://signin.aws.amazon.com/saml\"", "Recipient=\"https://app.evil.example/saml\"", "an AWS sign-in Recipient")]
    [InlineData(" NotOnOrAfter=\"2026-12-01T12:05:00Z\" Recipient", " Recipient", "an AWS sign-in Recipient and a NotOnOrAfter")]
    // the time window
    [InlineData("<saml:Conditions NotBefore=\"2026-12-01T12:00:00Z\"", "<saml:Conditions NotBefore=\"2026-12-01T12:01:01Z\"", "is not valid yet")]
    [InlineData("<saml:Assertion ID=\"_a1\" Version=\"2.0\" IssueInstant=\"2026-12-01T12:00:00Z\"", "<saml:Assertion ID=\"_a1\" Version=\"2.0\" IssueInstant=\"2026-12-01T12:02:00Z\"", "is not valid yet")]
    [InlineData("<saml:Assertion ID=\"_a1\" Version=\"2.0\" IssueInstant=\"2026-12-01T12:00:00Z\"", "<saml:Assertion ID=\"_a1\" Version=\"2.0\"", "has no readable IssueInstant")]
    [InlineData("NotOnOrAfter=\"2026-12-01T12:05:00Z\">", "NotOnOrAfter=\"2026-12-01T11:58:59Z\">", "has expired")]
    [InlineData("NotOnOrAfter=\"2026-12-01T12:05:00Z\" Recipient", "NotOnOrAfter=\"2026-12-01T11:58:59Z\" Recipient", "has expired")]
    [InlineData("NotOnOrAfter=\"2026-12-01T12:05:00Z\">", "NotOnOrAfter=\"tomorrow\">", "not an xs:dateTime")]
    // the subject, the role, the session name, the tenant claim
    [InlineData(">alice@acme.example</saml:NameID>", "></saml:NameID>", "has no NameID")]
    [InlineData("</saml:NameID>", "</saml:NameID><saml:NameID>bob</saml:NameID>", "the NameID twice")]
    [InlineData("Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"><saml:AttributeValue>alice@acme.example", "Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"><saml:AttributeValue>alice acme", "RoleSessionName")]
    [InlineData("<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\">", "<saml:Attribute Name=\"urn:other\">", "RoleSessionName")]
    [InlineData("<saml:AttributeValue>acme</saml:AttributeValue>", "<saml:AttributeValue>globex</saml:AttributeValue>", "does not name tenant acme in its tenant claim")]
    [InlineData("<saml:Attribute Name=\"urn:acme:tenant\">", "<saml:Attribute Name=\"urn:acme:tenant\"><saml:AttributeValue>acme</saml:AttributeValue>", "does not name tenant acme in its tenant claim")]
    [InlineData("<saml:Attribute Name=\"urn:acme:tenant\">", "<saml:Attribute Name=\"http://schemas.xmlsoap.org/claims/Group\">", "two of one Name")]
    public void A_hostile_or_broken_response_is_an_invalid_token(string find, string replace, string detail)
    {
        var refusal = Read(Edit(find, replace)).Refusal;

        Assert.Equal(Codes.InvalidToken, refusal?.Code);
        Assert.Contains(detail, refusal!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", refusal.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RoleValue, "arn:aws:iam::123456789012:role/tenant-globex,arn:aws:iam::123456789012:saml-provider/acme-idp")]
    [InlineData(RoleValue, "arn:aws:iam::123456789012:role/tenant-acme,arn:aws:iam::123456789012:saml-provider/globex-idp")]
    [InlineData(RoleValue, "arn:aws:iam::123456789012:role/tenant-acme")]
    [InlineData(RoleValue, "arn:aws:iam::123456789012:role/tenant-acme,arn:aws:iam::123456789012:saml-provider/acme-idp,x")]
    [InlineData("<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/Role\">", "<saml:Attribute Name=\"urn:not-the-role\">")]
    public void A_response_whose_Role_attribute_does_not_name_the_tenants_role_and_provider_is_forbidden(string find, string replace)
    {
        Assert.Equal(Codes.Forbidden, Read(Edit(find, replace)).Refusal?.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("not base64 at all!")]
    public void A_response_that_is_not_base64_of_a_few_characters_is_an_invalid_token(string samlResponse) =>
        Assert.Equal(Codes.InvalidToken, SamlResponseReader.Read(samlResponse, Tenant, Now).Refusal?.Code);

    [Theory]
    [InlineData("\n", 76)]
    [InlineData("\r\n", 64)]
    [InlineData(" ", 1)]
    [InlineData("\t", 4)]
    public void A_response_wrapped_in_whitespace_reads_as_the_same_caller_and_goes_to_STS_unwrapped(string wrap, int width)
    {
        var base64 = Base64(Response);
        var wrapped = string.Join(wrap, base64.Chunk(width).Select(c => new string(c))) + wrap;

        var caller = SamlResponseReader.Read(wrapped, Tenant, Now).Value!;

        Assert.Equal(("alice@acme.example", base64), (caller.Subject, caller.RawToken));
    }

    [Fact]
    public void A_response_over_STS_limit_is_an_invalid_token_before_it_is_decoded()
    {
        var padded = Edit("</samlp:Response>", new string(' ', 80_000) + "</samlp:Response>");

        var refusal = SamlResponseReader.Read(Base64(padded), Tenant, Now).Refusal;

        Assert.Equal(Codes.InvalidToken, refusal?.Code);
        Assert.Contains("100000 characters", refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_skew_lets_a_response_one_minute_either_side_of_its_window_through()
    {
        Assert.Null(Read(Response, Now.AddSeconds(-59)).Refusal);
        Assert.Null(Read(Response, Now.AddMinutes(5).AddSeconds(59)).Refusal);
        Assert.Equal(Codes.InvalidToken, Read(Response, Now.AddMinutes(6)).Refusal?.Code);
    }

    [Fact]
    public void A_subject_attribute_names_the_subject_instead_of_the_name_id()
    {
        var tenant = Tenant with { Identity = Tenant.Identity with { Saml = Tenant.Identity.Saml! with { Subject = "urn:acme:tenant" } } };

        var caller = SamlResponseReader.Read(Base64(Response), tenant, Now).Value!;

        Assert.Equal("acme", caller.Subject);
        Assert.Equal("alice@acme.example", caller.Saml!.NameId);
        Assert.Equal(JsonValueKind.String, caller.Claims.TryGet("sub", out var sub) ? sub.ValueKind : JsonValueKind.Undefined);
    }
}
