using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Util;

namespace CredentialVending.Revocation.Iam;

/// <summary>
/// Signs one IAM Query call with the SDK's own SigV4 signer (<see cref="AWS4Signer"/>): canonical request, string to
/// sign and key derivation are AWSSDK.Core's, never this project's.
/// </summary>
internal static class IamSigning
{
    public const string Service = "iam";

    // IAM is global: every call, to any endpoint, is signed for us-east-1.
    public const string Region = "us-east-1";

    private const string FormType = "application/x-www-form-urlencoded; charset=utf-8";
    private static readonly AWS4Signer Signer = new();

    public static HttpRequestMessage Sign(Uri endpoint, string form, ImmutableCredentials credentials, DateTimeOffset now)
    {
        var body = Encoding.UTF8.GetBytes(form);
        var request = new DefaultRequest(new QueryRequest(), "AmazonIdentityManagementService")
        {
            Endpoint = new Uri(endpoint.GetLeftPart(UriPartial.Authority)),
            ResourcePath = endpoint.AbsolutePath,
            HttpMethod = "POST",
            Content = body,
            UseQueryString = false,
        };
        request.Headers["Content-Type"] = FormType;
        if (credentials.UseToken)
        {
            // Signed with the rest, as the SDK's own pipeline does before it calls the signer.
            request.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var result = Signer.SignRequest(request, Config.Instance, new RequestMetrics(), credentials.AccessKey, credentials.SecretKey, now.UtcDateTime);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;

        var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                // HttpClient writes Host and Content-Length itself, from the same URL and body the signer saw.
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    /// <summary>What the signer reads of a client's configuration: IAM's service name and signing region.</summary>
    private sealed class Config : ClientConfig
    {
        public static readonly Config Instance = new();

        // The signer reads no default (retries and timeouts are the client's own), but ClientConfig needs a provider.
        private Config()
            : base(new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard }]))
        {
            AuthenticationRegion = Region;
            AuthenticationServiceName = Service;
        }

        public override string RegionEndpointServiceName => Service;

        public override string ServiceVersion => "2010-05-08";

        public override string UserAgent => "credential-vending-iam-query";

        // The signer never resolves an endpoint: the client names its own (IamClientOptions.Endpoint).
        public override Amazon.Runtime.Endpoints.Endpoint DetermineServiceOperationEndpoint(Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters parameters) =>
            new(IamClientOptions.AwsEndpoint.ToString());
    }

    /// <summary>The SDK's request object carries nothing here: the parameters are already the form body.</summary>
    private sealed class QueryRequest : AmazonWebServiceRequest;
}
