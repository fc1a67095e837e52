using System.Net;
using Amazon.Runtime;
using CredentialVending.Common;
using CredentialVending.Tenants;

namespace CredentialVending.Issuing;

/// <summary>
/// Sorts what STS (or the road to it) answered: failures of one endpoint, passed over for the next, and refusals
/// that any endpoint would give again, answered at once. Details are fixed words: STS's own messages name the
/// function's role and the tenant's, which are not the caller's business.
/// </summary>
internal static class StsFailures
{
    /// <summary>What a failure of one endpoint was, for the Retry-After once every endpoint has failed.</summary>
    public enum Kind
    {
        Unreachable,
        Throttled,
    }

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
    };

    /// <summary>
    /// True when the endpoint could not give an answer worth keeping: not reached, timed out, 5xx, throttling once the
    /// SDK's retries ran out, region disabled, or (IDPCommunicationError) STS in that region could not reach the
    /// tenant's identity provider, which another region may.
    /// </summary>
    public static bool IsEndpointFailure(Exception failure, out Kind kind)
    {
        kind = Kind.Unreachable;
        switch (failure)
        {
            case AmazonServiceException { ErrorCode: "RegionDisabledException" or "IDPCommunicationError" }:
                return true;
            case AmazonServiceException service when ThrottlingCodes.Contains(service.ErrorCode ?? string.Empty)
                || service.StatusCode == HttpStatusCode.TooManyRequests:
                kind = Kind.Throttled;
                return true;
            case AmazonServiceException service when (int)service.StatusCode >= 500:
                return true;

            // The SDK wraps some transport failures in a service exception that never got a status code.
            case AmazonServiceException service when service.StatusCode == 0:
                return true;
            case AmazonServiceException:
                return false;

            // Not a service answer at all: no connection, a reset, a timeout, or credentials the SDK could not load.
            case AmazonClientException or HttpRequestException or IOException or TimeoutException or OperationCanceledException:
                return true;
            default:
                return false;
        }
    }

    /// <summary>The refusal for an answer STS would give at every endpoint; null for one that is nobody's to fix but ours.</summary>
    public static Refusal? ToRefusal(AmazonServiceException failure, IssuanceMode mode) => failure.ErrorCode switch
    {
        "AccessDenied" => new Refusal(
            Codes.IssuanceFailed,
            mode == IssuanceMode.AssumeRole
                ? "STS refused to assume the tenant's role (AccessDenied): check the role's trust policy and external id."
                : "STS refused to assume the tenant's role with the caller's token (AccessDenied): check the role's trust policy for this issuer and audience."),
        "MalformedPolicyDocument" => new Refusal(
            Codes.IssuanceFailed,
            "STS refused the session policy built from the tenant's scopes (MalformedPolicyDocument): check the tenant's scope statements."),
        "PackedPolicyTooLarge" => new Refusal(
            Codes.InvalidScope,
            "The scopes are too large together: STS refused the session policy and tags (PackedPolicyTooLarge). Ask for fewer scopes."),
        // The tenant allows a longer session than its role does (MaxSessionDuration, or the one hour cap when the
        // function's own credentials are a role session, "role chaining"): the tenant's setup, not the caller's ask.
        "ValidationError" when failure.Message?.Contains("DurationSeconds", StringComparison.Ordinal) == true => new Refusal(
            Codes.IssuanceFailed,
            "STS refused the session duration: the tenant's role allows shorter sessions (its MaxSessionDuration, or one hour for a chained role). Lower the tenant's maxDurationSeconds or ask for less."),
        "InvalidIdentityToken" or "IDPRejectedClaim" or "ExpiredTokenException" or "ExpiredToken" or "JWTPayloadSizeExceededException"
            when mode == IssuanceMode.WebIdentity => new Refusal(
                Codes.InvalidToken,
                $"STS did not accept the caller's token ({failure.ErrorCode})."),
        _ => null,
    };
}
