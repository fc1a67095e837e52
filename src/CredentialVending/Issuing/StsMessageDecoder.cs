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
    private readonly (StsEndpoint Endpoint, AmazonSecurityTokenServiceClient Client)[] _clients;
    private readonly TimeSpan _endpointBudget;

    /// <param name="endpointBudget">As for issuing: all the time one endpoint may take while another is left to try.</param>
    public StsMessageDecoder(IReadOnlyList<StsEndpoint> endpoints, AWSCredentials? credentials, TimeSpan attemptTimeout, TimeSpan? endpointBudget = null)
    {
        _endpointBudget = endpointBudget ?? Timeout.InfiniteTimeSpan;
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("At least one STS endpoint is needed.", nameof(endpoints));
        }

        _clients = [.. endpoints.Select(e => (e, StsClients.Create(e, credentials, attemptTimeout)))];
    }

    public async Task<Outcome<string>> DecodeAsync(string encodedMessage, CancellationToken ct)
    {
        Exception? last = null;
        var throttled = false;
        for (var i = 0; i < _clients.Length; i++)
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (i < _clients.Length - 1)
            {
                budget.CancelAfter(_endpointBudget);
            }

            try
            {
                var request = new DecodeAuthorizationMessageRequest { EncodedMessage = encodedMessage };
                var answer = await _clients[i].Client.DecodeAuthorizationMessageAsync(request, budget.Token).ConfigureAwait(false);
                return answer.DecodedMessage ?? throw new InvalidOperationException("STS answered DecodeAuthorizationMessage without a decoded message.");
            }
            catch (Exception e) when (!ct.IsCancellationRequested && StsFailures.IsEndpointFailure(e, out var kind))
            {
                last = e;
                throttled |= kind == StsFailures.Kind.Throttled;
            }

            // ValidationError: the message broke STS's own limits on EncodedMessage, which no endpoint would take either.
            catch (AmazonServiceException e) when (e is InvalidAuthorizationMessageException || e.ErrorCode is "InvalidAuthorizationMessageException" or "ValidationError")
            {
                return new Refusal(Codes.InvalidMessage, "STS could not decode the message: it is not an encoded authorization message, or it was changed or cut short.");
            }
        }

        var reason = last is AmazonServiceException service ? service.ErrorCode ?? service.StatusCode.ToString() : last?.GetType().Name;
        throw new DependencyUnavailableException(
            $"No STS endpoint answered ({string.Join(", ", _clients.Select(c => c.Endpoint.Region))}; last: {reason}).",
            throttled ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(2),
            last);
    }

    public void Dispose()
    {
        foreach (var (_, client) in _clients)
        {
            client.Dispose();
        }
    }
}
