using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using CredentialVending.Common;

namespace CredentialVending.Issuing;

/// <summary>
/// One STS client per <c>STS_ENDPOINTS</c> entry, configured alike for every STS call the functions make (issuing and
/// decoding), so both pass a failing endpoint over on the same terms.
/// </summary>
public static class StsClients
{
    /// <param name="credentials">The function's own credentials; null for the SDK's default chain (Lambda's role).</param>
    /// <param name="attemptTimeout">For one HTTP attempt: the SDK has no default timeout, and a hung endpoint must be passed over.</param>
    public static AmazonSecurityTokenServiceClient Create(StsEndpoint endpoint, AWSCredentials? credentials, TimeSpan attemptTimeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var config = new AmazonSecurityTokenServiceConfig
        {
            // Standard, not Adaptive: adaptive mode was seen stalling 12-28 s on a throttling endpoint (docs/gotchas.md).
            RetryMode = RequestRetryMode.Standard,
            Timeout = attemptTimeout,
            ConnectTimeout = attemptTimeout,

            // STS_ENDPOINTS alone says where STS is: AWS_ENDPOINT_URL (set for a local DynamoDB) must not move it.
            IgnoreConfiguredEndpointUrls = true,
        };
        if (endpoint.ServiceUrl is null)
        {
            // The SDK v4 resolves a region to its regional STS endpoint (sts.REGION.amazonaws.com), never the global one.
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(endpoint.Region);
        }
        else
        {
            config.ServiceURL = endpoint.ServiceUrl.ToString();
            config.AuthenticationRegion = endpoint.Region;
        }

        return credentials is null ? new LeanStsClient(config) : new LeanStsClient(credentials, config);
    }
}
