using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Tenants;
using CredentialVending.Vending;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Issuing;

/// <summary>What a vend asks STS for, per issuance mode: the planned session, the lease id as session name, and the caller.</summary>
public sealed class IssueRequestTests
{
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";
    private static readonly string LeaseId = Ulid.New(DateTimeOffset.UtcNow);

    private static IssueRequest ForVend(TenantDocument tenant, string subject = "alice")
    {
        var plan = SessionPlanner.Plan(tenant, subject, Claims($$"""{"sub":"{{subject}}"}"""), null, 1800).Value!;
        return IssueRequest.ForVend(tenant.Issuance, LeaseId, plan.Session, plan.DurationSeconds, subject, Token);
    }

    private static TenantDocument WebIdentity() =>
        Valid(Edit("issuance/mode", "\"webIdentity\"", Edit("issuance/externalId", null, Edit("sessionTags", null))));

    [Fact]
    public void In_assume_role_mode_sts_gets_the_plan_the_external_id_the_subject_as_source_identity_and_the_tags_but_not_the_token()
    {
        var tenant = Valid();
        var plan = SessionPlanner.Plan(tenant, "alice", Claims("""{"sub":"alice"}"""), null, 1800).Value!;

        var request = ForVend(tenant);

        Assert.Equal(
            new IssueRequest(IssuanceMode.AssumeRole, "arn:aws:iam::123456789012:role/tenant-acme", LeaseId, plan.Session.PolicyJson, 1800, "acme-7f3c", "alice", request.Tags, null),
            request);
        Assert.Equal([new("tenant", "acme"), new("subject", "alice")], request.Tags);
    }

    [Fact]
    public void In_web_identity_mode_sts_gets_the_caller_token_and_no_external_id_source_identity_or_tags()
    {
        var request = ForVend(WebIdentity());

        Assert.Equal(IssuanceMode.WebIdentity, request.Mode);
        Assert.Equal(Token, request.WebIdentityToken);
        Assert.Null(request.ExternalId);
        Assert.Null(request.SourceIdentity);
        Assert.Empty(request.Tags);
        Assert.Equal(LeaseId, request.SessionName);
        Assert.Equal(1800, request.DurationSeconds);
    }

    [Fact]
    public void In_brokered_mode_sts_gets_the_service_token_and_no_external_id_source_identity_or_tags_which_the_token_carries()
    {
        var request = ForVend(Valid(Brokered(Edit("issuance/maxDurationSeconds", "43200"))));

        Assert.Equal((IssuanceMode.Brokered, Token, LeaseId), (request.Mode, request.WebIdentityToken, request.SessionName));
        Assert.Null(request.ExternalId);
        Assert.Null(request.SourceIdentity);
        Assert.Empty(request.Tags);
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("a+b=c,d.e@f_g-h", "a+b=c,d.e@f_g-h")]
    [InlineData("ab", "ab")]
    [InlineData("a", null)]
    [InlineData("auth0|5f7c8ec7c33c6c004bbafe82", null)]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123", "0123456789012345678901234567890123456789012345678901234567890123")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234", null)]
    public void The_subject_is_the_source_identity_only_where_it_fits_sts_pattern(string subject, string? sourceIdentity)
    {
        var tenant = WithStatements("""[ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/{{tenant}}/*" } ]""");
        var plan = SessionPlanner.Plan(tenant, subject, Claims("{}"), ["only"], null).Value!;

        var request = IssueRequest.ForVend(tenant.Issuance, LeaseId, plan.Session, plan.DurationSeconds, subject, Token);

        Assert.Equal(sourceIdentity, request.SourceIdentity);
    }

    [Fact]
    public void Neither_record_prints_the_token_or_the_secret()
    {
        var request = ForVend(WebIdentity());
        var issued = new IssuedCredentials("ASIAEXAMPLE", "secretKey/abc", "sessionTokenXYZ", DateTimeOffset.UtcNow, "arn:aws:sts::123456789012:assumed-role/r/s", null, "us-east-1");

        Assert.DoesNotContain(Token, request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secretKey/abc", issued.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sessionTokenXYZ", issued.ToString(), StringComparison.Ordinal);
    }
}
