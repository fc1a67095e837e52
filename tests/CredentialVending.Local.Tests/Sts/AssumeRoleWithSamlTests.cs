using System.Security.Cryptography;
using System.Text;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Saml;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Tests.Sts;

public sealed class AssumeRoleWithSamlTests : IAsyncLifetime
{
    private const string SamlRole = "arn:aws:iam::123456789012:role/tenant-acme-saml";
    private const string ClosedRole = "arn:aws:iam::123456789012:role/closed";
    private readonly DevelopmentSamlProvider _idp = new();
    private StsEmulator _sts = null!;

    public async Task InitializeAsync() => _sts = await StsEmulator.StartAsync(StsTestKit.Options with
    {
        SamlProviders = new Dictionary<string, string> { [_idp.ProviderArn] = _idp.MetadataXml() },
        SamlTrusts = [new SamlTrust(_idp.ProviderArn) { RoleArn = SamlRole }],
    });

    public async Task DisposeAsync()
    {
        await _sts.DisposeAsync();
        _idp.Dispose();
    }

    [Fact]
    public async Task A_development_response_is_answered_with_what_sts_documents()
    {
        var response = await AssumeAsync(_idp.SignedResponse(Request() with { SourceIdentity = "alice" }));

        Assert.Equal("alice@acme.example", response.Subject);
        Assert.Equal("persistent", response.SubjectType);
        Assert.Equal(DevelopmentSamlProvider.DefaultEntityId, response.Issuer);
        Assert.Equal("https://signin.aws.amazon.com/saml", response.Audience);
        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(DevelopmentSamlProvider.DefaultEntityId + "123456789012/local-dev")));
        Assert.Equal(expected, response.NameQualifier);
        Assert.Equal("alice", response.SourceIdentity);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/tenant-acme-saml/alice@acme.example", response.AssumedRoleUser.Arn);
#pragma warning disable CS0618 // The SDK marks PackedPolicySize obsolete; STS still answers it and the lease records it.
        Assert.Null(response.PackedPolicySize);
#pragma warning restore CS0618
        Assert.Matches("^ASIA[A-Z2-7]{16}$", response.Credentials.AccessKeyId);
        var call = Assert.Single(_sts.Calls);
        Assert.False(call.Signed);
        Assert.True(call.HadSamlAssertion);
        Assert.Equal(_idp.ProviderArn, call.PrincipalArn);
        Assert.True(_sts.TryFindSession(response.Credentials.AccessKeyId, out var session));
        Assert.Equal("AssumeRoleWithSAML", session.IssuedBy);
    }

    [Fact]
    public async Task A_session_policy_is_packed_and_the_duration_is_the_callers()
    {
        var response = await AssumeAsync(_idp.SignedResponse(Request()), policy: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""", durationSeconds: 900);

#pragma warning disable CS0618 // As above.
        Assert.InRange(response.PackedPolicySize ?? -1, 1, 100);
#pragma warning restore CS0618
        Assert.InRange(response.Credentials.Expiration!.Value - DateTime.UtcNow, TimeSpan.FromSeconds(880), TimeSpan.FromSeconds(901));
    }

    [Fact]
    public async Task A_comment_inside_the_name_id_keeps_the_signature_and_the_whole_subject()
    {
        var response = await AssumeAsync(DevelopmentSamlProvider.Encode(HostileSamlResponses.CommentInNameId(_idp, Request(), keep: 5)));

        Assert.Equal("alice@acme.example", response.Subject);
    }

    [Fact]
    public async Task A_response_signed_as_a_whole_covers_its_unsigned_assertion()
    {
        var xml = new System.Xml.XmlDocument { PreserveWhitespace = true };
        xml.LoadXml(_idp.SignedResponseXml(Request()));
        var assertionSignature = xml.GetElementsByTagName("Signature", SamlNames.DSig)[0]!;
        assertionSignature.ParentNode!.RemoveChild(assertionSignature);
        _idp.Sign(xml.DocumentElement!);

        var response = await AssumeAsync(DevelopmentSamlProvider.Encode(xml.OuterXml));

        Assert.Equal("alice@acme.example", response.Subject);
    }

    [Fact]
    public async Task The_other_subject_fault_answers_a_subject_that_is_not_the_assertions()
    {
        _sts.Faults.Set(StsFault.OtherSamlSubject, calls: 1);

        var response = await AssumeAsync(_idp.SignedResponse(Request()));

        Assert.Equal(StsFault.OtherSamlSubjectValue, response.Subject);
        Assert.Equal(DevelopmentSamlProvider.DefaultEntityId, response.Issuer);
    }

    [Theory]
    [InlineData("unknown provider", "InvalidIdentityToken", "Specified provider doesn't exist")]
    [InlineData("signed by another key", "InvalidIdentityToken", "Response signature invalid")]
    [InlineData("edited after signing", "InvalidIdentityToken", "Response signature invalid")]
    [InlineData("unsigned", "InvalidIdentityToken", "Response signature invalid")]
    [InlineData("signature naming another element", "InvalidIdentityToken", "Response signature invalid")]
    [InlineData("doctype", "InvalidIdentityToken", "Unable to parse")]
    [InlineData("not base64", "InvalidIdentityToken", "Unable to parse")]
    [InlineData("two assertions", "InvalidIdentityToken", "exactly one Assertion")]
    [InlineData("wrapped in extensions", "InvalidIdentityToken", "exactly one Assertion")]
    [InlineData("wrapped in the signature", "InvalidIdentityToken", "exactly one Assertion")]
    [InlineData("expired", "ExpiredTokenException", "Token expired")]
    [InlineData("not yet valid", "InvalidIdentityToken", "NotBefore")]
    [InlineData("wrong audience", "InvalidIdentityToken", "AudienceRestriction")]
    [InlineData("another issuer", "InvalidIdentityToken", "Issuer")]
    [InlineData("role not named", "IDPRejectedClaim", "Role attribute")]
    [InlineData("no session name", "InvalidIdentityToken", "RoleSessionName")]
    [InlineData("bad session name", "InvalidIdentityToken", "RoleSessionName")]
    [InlineData("bad session duration", "InvalidIdentityToken", "SessionDuration")]
    [InlineData("role not trusting", "AccessDenied", "sts:AssumeRoleWithSAML")]
    [InlineData("oversized", "ValidationError", "length less than or equal to 100000")]
    [InlineData("malformed policy", "MalformedPolicyDocument", "")]
    [InlineData("provider arn of no provider form", "ValidationError", "Request ARN is invalid")]
    public async Task Refused_responses_get_sts_error_codes(string shape, string code, string message)
    {
        using var other = new DevelopmentSamlProvider();
        var request = Request();
        var (assertion, role, principal, policy) = shape switch
        {
            "unknown provider" => (_idp.SignedResponse(request), SamlRole, "arn:aws:iam::123456789012:saml-provider/nobody", null),
            "signed by another key" => (other.SignedResponse(request), SamlRole, _idp.ProviderArn, null),
            "edited after signing" => (DevelopmentSamlProvider.Encode(_idp.SignedResponseXml(request).Replace("alice@acme.example<", "admin@acme.example<", StringComparison.Ordinal)), SamlRole, _idp.ProviderArn, null),
            "unsigned" => (DevelopmentSamlProvider.Encode(System.Text.RegularExpressions.Regex.Replace(_idp.SignedResponseXml(request), "<Signature .*</Signature>", "")), SamlRole, _idp.ProviderArn, null),
            "signature naming another element" => (DevelopmentSamlProvider.Encode(ResponseSignatureOverTheAssertion(request)), SamlRole, _idp.ProviderArn, null),
            "doctype" => (DevelopmentSamlProvider.Encode(HostileSamlResponses.WithDoctype(_idp, request)), SamlRole, _idp.ProviderArn, null),
            "not base64" => ("<samlp:Response/>", SamlRole, _idp.ProviderArn, null),
            "two assertions" => (DevelopmentSamlProvider.Encode(HostileSamlResponses.TwoAssertions(_idp, request)), SamlRole, _idp.ProviderArn, null),
            "wrapped in extensions" => (DevelopmentSamlProvider.Encode(HostileSamlResponses.WrappedSignature(_idp, request)), SamlRole, _idp.ProviderArn, null),
            "wrapped in the signature" => (DevelopmentSamlProvider.Encode(HostileSamlResponses.WrappedSignature(_idp, request, SamlWrapping.SignatureObject)), SamlRole, _idp.ProviderArn, null),
            "expired" => (_idp.SignedResponse(HostileSamlResponses.Expired(request)), SamlRole, _idp.ProviderArn, null),
            "not yet valid" => (_idp.SignedResponse(request with { IssuedAt = DateTimeOffset.UtcNow.AddMinutes(10) }), SamlRole, _idp.ProviderArn, null),
            "wrong audience" => (_idp.SignedResponse(HostileSamlResponses.WrongAudience(request)), SamlRole, _idp.ProviderArn, null),
            "another issuer" => (_idp.SignedResponse(request with { Issuer = "https://idp.example.com" }), SamlRole, _idp.ProviderArn, null),
            "role not named" => (_idp.SignedResponse(request with { RoleArn = ClosedRole }), SamlRole, _idp.ProviderArn, null),
            "no session name" => (_idp.SignedResponse(request with { RoleSessionName = "" }), SamlRole, _idp.ProviderArn, null),
            "bad session name" => (_idp.SignedResponse(request with { RoleSessionName = "alice smith" }), SamlRole, _idp.ProviderArn, null),
            "bad session duration" => (_idp.SignedResponse(request with { SessionDurationSeconds = 60 }), SamlRole, _idp.ProviderArn, null),
            "role not trusting" => (_idp.SignedResponse(request with { RoleArn = ClosedRole }), ClosedRole, _idp.ProviderArn, null),
            "oversized" => (DevelopmentSamlProvider.Encode(HostileSamlResponses.Oversized(_idp, request)), SamlRole, _idp.ProviderArn, null),
            "malformed policy" => (_idp.SignedResponse(request), SamlRole, _idp.ProviderArn, "{not json"),
            _ => (_idp.SignedResponse(request), SamlRole, "arn:aws:iam::123456789012:oidc-provider/example.com", (string?)null),
        };

        var (status, body, _) = await StsTestKit.PostAsync(_sts, Form(assertion, role, principal, policy));

        Assert.Equal(code == "AccessDenied" ? 403 : 400, status);
        Assert.Contains($"<Code>{code}</Code>", body, StringComparison.Ordinal);
        Assert.Contains(message, body, StringComparison.Ordinal);
        Assert.DoesNotContain(assertion[..Math.Min(assertion.Length, 200)], body, StringComparison.Ordinal);
        Assert.Equal(code, Assert.Single(_sts.Calls).ErrorCode);
    }

    [Fact]
    public async Task Missing_parameters_are_one_validation_error_that_never_echoes_the_assertion()
    {
        var (status, body, _) = await StsTestKit.PostAsync(_sts, ("Action", "AssumeRoleWithSAML"), ("Version", "2011-06-15"), ("SAMLAssertion", "abc"));

        Assert.Equal(400, status);
        Assert.Contains("3 validation errors detected", body, StringComparison.Ordinal);
        Assert.Contains("Value null at 'roleArn'", body, StringComparison.Ordinal);
        Assert.Contains("Value null at 'principalArn'", body, StringComparison.Ordinal);
        Assert.Contains("Value '***' at 'sAMLAssertion' failed to satisfy constraint: Member must have length greater than or equal to 4", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sdk_parses_an_error_answer_as_its_modelled_exception()
    {
        using var client = StsTestKit.Client(_sts);

        await Assert.ThrowsAsync<ExpiredTokenException>(() => client.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = SamlRole,
            PrincipalArn = _idp.ProviderArn,
            SAMLAssertion = _idp.SignedResponse(HostileSamlResponses.Expired(Request())),
        }));
    }

    // A genuine signature of the assertion, moved up to the response: it verifies, but does not name its own parent.
    private string ResponseSignatureOverTheAssertion(SamlResponseRequest request)
    {
        var xml = new System.Xml.XmlDocument { PreserveWhitespace = true };
        xml.LoadXml(_idp.SignedResponseXml(request));
        var signature = xml.GetElementsByTagName("Signature", SamlNames.DSig)[0]!;
        signature.ParentNode!.RemoveChild(signature);
        xml.DocumentElement!.InsertAfter(signature, xml.DocumentElement.FirstChild);
        return xml.OuterXml;
    }

    private static SamlResponseRequest Request() => new() { Subject = "alice@acme.example", RoleArn = SamlRole, Tenant = "acme", Groups = ["admins", "editors"] };

    private (string, string)[] Form(string assertion, string role, string principal, string? policy) =>
    [
        ("Action", "AssumeRoleWithSAML"), ("Version", "2011-06-15"), ("RoleArn", role), ("PrincipalArn", principal), ("SAMLAssertion", assertion),
        .. policy is null ? Array.Empty<(string, string)>() : [("Policy", policy)],
    ];

    private async Task<AssumeRoleWithSAMLResponse> AssumeAsync(string assertion, string? policy = null, int? durationSeconds = null)
    {
        using var client = StsTestKit.Client(_sts);
        return await client.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = SamlRole,
            PrincipalArn = _idp.ProviderArn,
            SAMLAssertion = assertion,
            Policy = policy,
            DurationSeconds = durationSeconds,
        });
    }
}
