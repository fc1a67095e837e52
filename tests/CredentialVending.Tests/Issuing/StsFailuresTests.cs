using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using CredentialVending.Issuing;
using CredentialVending.Tenants;

namespace CredentialVending.Tests.Issuing;

public sealed class StsFailuresTests
{
    [Theory]
    [InlineData("Throttling", 400, true)]
    [InlineData("RequestLimitExceeded", 503, true)]
    [InlineData("InternalFailure", 500, false)]
    [InlineData("ServiceUnavailable", 503, false)]
    [InlineData("RegionDisabledException", 403, false)]
    [InlineData("IDPCommunicationError", 400, false)]
    [InlineData("Whatever", 429, true)]
    public void Endpoint_failures_are_passed_over(string code, int status, bool throttled)
    {
        Assert.True(StsFailures.IsEndpointFailure(Service(code, status), out var kind));
        Assert.Equal(throttled, kind == StsFailures.Kind.Throttled);
    }

    [Fact]
    public void Transport_failures_are_passed_over()
    {
        Assert.True(StsFailures.IsEndpointFailure(new HttpRequestException("refused"), out _));
        Assert.True(StsFailures.IsEndpointFailure(new TaskCanceledException("timeout"), out _));
        Assert.True(StsFailures.IsEndpointFailure(new AmazonClientException("no credentials"), out _));
    }

    [Theory]
    [InlineData("AccessDenied", IssuanceMode.AssumeRole, "issuance_failed")]
    [InlineData("AccessDenied", IssuanceMode.WebIdentity, "issuance_failed")]
    [InlineData("MalformedPolicyDocument", IssuanceMode.AssumeRole, "issuance_failed")]
    [InlineData("PackedPolicyTooLarge", IssuanceMode.AssumeRole, "invalid_scope")]
    [InlineData("InvalidIdentityToken", IssuanceMode.WebIdentity, "invalid_token")]
    [InlineData("IDPRejectedClaim", IssuanceMode.WebIdentity, "invalid_token")]
    [InlineData("ExpiredTokenException", IssuanceMode.WebIdentity, "invalid_token")]
    [InlineData("AccessDenied", IssuanceMode.Brokered, "issuance_failed")]
    [InlineData("InvalidIdentityToken", IssuanceMode.Brokered, "issuance_failed")]
    [InlineData("IDPRejectedClaim", IssuanceMode.Brokered, "issuance_failed")]
    [InlineData("AccessDenied", IssuanceMode.Saml, "issuance_failed")]
    [InlineData("InvalidIdentityToken", IssuanceMode.Saml, "invalid_token")]
    [InlineData("IDPRejectedClaim", IssuanceMode.Saml, "invalid_token")]
    [InlineData("ExpiredToken", IssuanceMode.Saml, "invalid_token")]
    public void Refusals_any_endpoint_would_repeat_are_answered_at_once(string code, IssuanceMode mode, string refusal)
    {
        var failure = Service(code, 400);

        Assert.False(StsFailures.IsEndpointFailure(failure, out _));
        Assert.Equal(refusal, StsFailures.ToRefusal(failure, mode)?.Code);
    }

    [Fact]
    public void A_duration_the_role_does_not_allow_is_issuance_failed()
    {
        var failure = Service("ValidationError", 400, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");

        Assert.Equal("issuance_failed", StsFailures.ToRefusal(failure, IssuanceMode.AssumeRole)?.Code);
    }

    [Theory]
    [InlineData("ExpiredTokenException")]
    [InlineData("InvalidClientTokenId")]
    [InlineData("ValidationError")]
    public void The_functions_own_mistakes_are_nobody_elses_refusal(string code)
    {
        // In assumeRole mode an expired or invalid token is the function's own credentials: an internal error.
        Assert.Null(StsFailures.ToRefusal(Service(code, 400), IssuanceMode.AssumeRole));
    }

    [Fact]
    public void A_typed_sdk_exception_is_sorted_by_its_code()
    {
        var disabled = new RegionDisabledException("disabled") { ErrorCode = "RegionDisabledException", StatusCode = HttpStatusCode.Forbidden };

        Assert.True(StsFailures.IsEndpointFailure(disabled, out _));
    }

    [Fact]
    public void Refusal_details_do_not_repeat_stss_message()
    {
        var failure = Service("AccessDenied", 403, "User: arn:aws:sts::111122223333:assumed-role/vend/x is not authorized");

        Assert.DoesNotContain("111122223333", StsFailures.ToRefusal(failure, IssuanceMode.AssumeRole)!.Detail, StringComparison.Ordinal);
    }

    private static AmazonServiceException Service(string code, int status, string message = "m") =>
        new(message, ErrorType.Sender, code, "request-id", (HttpStatusCode)status);
}
