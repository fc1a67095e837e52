using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Common;
using CredentialVending.Decoding;

namespace CredentialVending.Issuing;

/// <summary>
/// <c>sts:DecodeAuthorizationMessage</c> through the <c>STS_ENDPOINTS</c> in order, with issuing's failover rules:
/// an endpoint that cannot be reached, answers 5xx, throttles after the SDK's retries or has the region disabled is
/// passed over for the next. A message STS cannot decode is 400 <c>invalid_message</c> at every endpoint.
/// </summary>
public sealed class StsMessageDecoder : IAuthorizationMessageDecoder, IDisposable
{
    private readonly StsFailover _sts;

    /// <param name="endpointBudget">As for issuing: all the time one endpoint may take while another is left to try.</param>
    /// <param name="totalBudget">All the time every endpoint together may take (see <see cref="StsFailover"/>).</param>
    public StsMessageDecoder(IReadOnlyList<StsEndpoint> endpoints, AWSCredentials? credentials, TimeSpan attemptTimeout, TimeSpan? endpointBudget = null, TimeSpan? totalBudget = null)
        => _sts = new StsFailover(endpoints, credentials, attemptTimeout, endpointBudget, totalBudget);

    public Task<Outcome<string>> DecodeAsync(string encodedMessage, CancellationToken ct) =>
        _sts.RunAsync(
            async (client, _, token) =>
            {
                var answer = await client.DecodeAuthorizationMessageAsync(new DecodeAuthorizationMessageRequest { EncodedMessage = encodedMessage }, token).ConfigureAwait(false);
                return answer.DecodedMessage ?? throw new StsGarbledAnswerException("STS answered DecodeAuthorizationMessage without a decoded message.");
            },
            Refuse,
            ct);

    public void Dispose() => _sts.Dispose();

    // ValidationError: the message broke STS's own limits on EncodedMessage, which no endpoint would take either.
    private static Refusal? Refuse(AmazonServiceException e) =>
        e is InvalidAuthorizationMessageException || e.ErrorCode is "InvalidAuthorizationMessageException" or "ValidationError"
            ? new Refusal(Codes.InvalidMessage, "STS could not decode the message: it is not an encoded authorization message, or it was changed or cut short.")
            : null;
}
