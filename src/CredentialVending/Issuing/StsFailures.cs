using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using CredentialVending.Common;
using CredentialVending.Tenants;

namespace CredentialVending.Issuing;

/// <summary>
/// Sorts what STS (or the road to it) answered: failures of one endpoint, passed over for the next, and refusals
/// that any endpoint would give again, answered at once. Details are fixed words: STS's own messages name the
/// function's role and the tenant's, which are not the caller's business.
/// </summary>
internal static partial class StsFailures
{
    /// <summary>What a failure of one endpoint was, for the Retry-After once every endpoint has failed.</summary>
    public enum Kind
    {
        Unreachable,
        Throttled,
        Garbled,
    }

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
    };

    // STS refusing the function's own signing credentials: the deployment's problem, never the tenant's.
    private static readonly HashSet<string> OwnCredentialCodes = new(StringComparer.Ordinal)
    {
        "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch", "IncompleteSignature",
        "MissingAuthenticationToken", "UnrecognizedClient", "UnrecognizedClientException",
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
            // An answer nobody can read (cut short, HTML, an empty body, fields that are no dates or key ids): whatever STS
            // issued never reached us, so nothing is recorded, and another endpoint may answer properly.
            case AmazonUnmarshallingException or StsGarbledAnswerException or XmlException or FormatException or InvalidDataException:
            case AmazonServiceException { InnerException: XmlException or FormatException or InvalidDataException }:
            case AmazonServiceException { StatusCode: < (HttpStatusCode)500 and > 0 } unread when string.IsNullOrEmpty(unread.ErrorCode):
                kind = Kind.Garbled;
                return true;
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
            mode switch
            {
                IssuanceMode.AssumeRole => "STS refused to assume the tenant's role (AccessDenied): check the role's trust policy and external id.",
                IssuanceMode.Brokered => "STS refused to assume the tenant's role with the service's token (AccessDenied): check that the role's trust policy names this service's OpenID Connect provider, its aud and a sub of <tenantId>:*.",
                IssuanceMode.Saml => "STS refused to assume the tenant's role with the caller's SAML response (AccessDenied): check the role's trust policy for this SAML provider and SAML:aud.",
                _ => "STS refused to assume the tenant's role with the caller's token (AccessDenied): check the role's trust policy for this issuer and audience.",
            }),
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
        // The token is the service's own: STS refusing it is the deployment's setup (the IAM OIDC provider), not the caller's.
        "InvalidIdentityToken" or "IDPRejectedClaim" or "ExpiredTokenException" or "ExpiredToken" or "JWTPayloadSizeExceededException"
            when mode == IssuanceMode.Brokered => new Refusal(
                Codes.IssuanceFailed,
                $"STS did not accept the service's own token ({failure.ErrorCode}): check the account's IAM OpenID Connect provider for BROKER_ISSUER and its audience."),
        // STS verified the signature against the IAM SAML provider and refused it, or found the assertion expired or replayed.
        "InvalidIdentityToken" or "IDPRejectedClaim" or "ExpiredTokenException" or "ExpiredToken"
            when mode == IssuanceMode.Saml => new Refusal(
                Codes.InvalidToken,
                $"STS did not accept the caller's SAML response ({failure.ErrorCode})."),
        _ => null,
    };

    /// <summary>
    /// A final STS error that no rule above maps: STS refused something about this tenant's request (its role, its
    /// policy, its tags), which only the tenant's setup can change, so 502 <c>issuance_failed</c>, never a 500.
    /// The function's own credentials refused (expired, unknown, badly signed) are the deployment's, not the tenant's:
    /// 503 <c>unavailable</c>, as for a dependency that cannot be used.
    /// </summary>
    public static Refusal Unmapped(AmazonServiceException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return OwnCredentialCodes.Contains(failure.ErrorCode ?? string.Empty)
            ? new Refusal(Codes.Unavailable, $"STS did not accept the service's own credentials ({CodeOf(failure)}); try again shortly.", RetryAfter: TimeSpan.FromSeconds(2))
            : new Refusal(Codes.IssuanceFailed, $"STS refused the request ({CodeOf(failure)}): check the tenant's role and issuance settings.");
    }


    /// <summary>
    /// The error code, for logs and details, only when it looks like one: STS's message is never repeated (it names roles
    /// and accounts), and a garbled answer's "code" could be any text at all.
    /// </summary>
    public static string CodeOf(Exception? failure) => failure switch
    {
        null => "no answer",
        AmazonServiceException { ErrorCode: { } code } when ErrorCode().IsMatch(code) => code,
        AmazonServiceException { StatusCode: > 0 } service => $"HTTP {(int)service.StatusCode}, {failure.GetType().Name}",
        _ => failure.GetType().Name,
    };

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorCode();
}

/// <summary>STS answered 200 with something that is not usable credentials (or not a decoded message).</summary>
public sealed class StsGarbledAnswerException : Exception
{
    public StsGarbledAnswerException()
    {
    }

    public StsGarbledAnswerException(string message)
        : base(message)
    {
    }

    public StsGarbledAnswerException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
