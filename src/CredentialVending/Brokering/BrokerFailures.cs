using Amazon.Runtime;
using CredentialVending.Common;
using CredentialVending.Issuing;

namespace CredentialVending.Brokering;

/// <summary>KMS failing for a brokered vend: a 503 with a Retry-After, named by KMS's code only, never its message.</summary>
internal static class BrokerFailures
{
    public static DependencyUnavailableException Unavailable(Exception failure, string what)
    {
        // STS's rule for which codes throttle: the same SDK, the same codes, the same Retry-After.
        var throttled = StsFailures.IsEndpointFailure(failure, out var kind) && kind == StsFailures.Kind.Throttled;
        var code = failure is AmazonServiceException { ErrorCode: { Length: > 0 } errorCode } ? errorCode : failure.GetType().Name;
        return new DependencyUnavailableException(
            $"KMS could not {what} ({code}), so no STS call was made; try again shortly.",
            throttled ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(2),
            failure);
    }

    /// <summary>A brokered tenant vended for on a function without <c>BROKER_*</c>: the deployment's to fix.</summary>
    public static Refusal NotConfigured(string tenantId) => new(
        Codes.Unavailable,
        $"Tenant '{tenantId}' is brokered, but this deployment's vend function has no BROKER_KMS_KEY_ID and BROKER_ISSUER: the operator must configure the brokered mode.",
        RetryAfter: TimeSpan.FromSeconds(60));
}
