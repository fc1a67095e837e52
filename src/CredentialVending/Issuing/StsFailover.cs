using Amazon.Runtime;
using Amazon.SecurityToken;
using CredentialVending.Common;

namespace CredentialVending.Issuing;

/// <summary>
/// The <c>STS_ENDPOINTS</c> in order, one client each, and docs/api.md's failover rule for every STS call the functions
/// make: an endpoint that cannot be reached, times out, answers 5xx, throttles after the SDK's retries or has the
/// region disabled is passed over for the next; any other STS answer is final. Every endpoint failing is a 503.
/// </summary>
public sealed class StsFailover : IDisposable
{
    private readonly (StsEndpoint Endpoint, AmazonSecurityTokenServiceClient Client)[] _clients;
    private readonly TimeSpan _endpointBudget;
    private readonly TimeSpan _totalBudget;

    /// <param name="endpoints">In the order to try them.</param>
    /// <param name="credentials">The function's own credentials; null for the SDK's default chain (Lambda's role).</param>
    /// <param name="attemptTimeout">For one HTTP attempt: the SDK has no default timeout, and a hung endpoint must be passed over.</param>
    /// <param name="endpointBudget">
    /// All the time one endpoint may take, its retries included, while another endpoint is left to try: Lambda's
    /// timeout (10 s in the template) must leave room for the next one.
    /// </param>
    /// <param name="totalBudget">
    /// All the time every endpoint together may take, the last one included: spent, the call is a 503 with a
    /// Retry-After, answered by this loop before the host's deadline would cut the invocation short.
    /// </param>
    public StsFailover(IReadOnlyList<StsEndpoint> endpoints, AWSCredentials? credentials, TimeSpan attemptTimeout, TimeSpan? endpointBudget = null, TimeSpan? totalBudget = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("At least one STS endpoint is needed.", nameof(endpoints));
        }

        _endpointBudget = endpointBudget ?? Timeout.InfiniteTimeSpan;
        _totalBudget = totalBudget ?? Timeout.InfiniteTimeSpan;

        // Built once: each client keeps its connections and its retry budget across invocations.
        _clients = [.. endpoints.Select(e => (e, StsClients.Create(e, credentials, attemptTimeout)))];
    }

    /// <summary>
    /// Runs <paramref name="call"/> against each endpoint in turn until one answers. <paramref name="refuse"/> turns a
    /// final STS error into the caller's refusal (null: none of its own, so the generic 502 <c>issuance_failed</c>).
    /// </summary>
    public async Task<Outcome<T>> RunAsync<T>(
        Func<AmazonSecurityTokenServiceClient, StsEndpoint, CancellationToken, Task<T>> call,
        Func<AmazonServiceException, Refusal?> refuse,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(refuse);
        Exception? last = null;
        var throttled = false;
        using var total = CancellationTokenSource.CreateLinkedTokenSource(ct);
        total.CancelAfter(_totalBudget);
        for (var i = 0; i < _clients.Length && !total.IsCancellationRequested; i++)
        {
            var (endpoint, client) = _clients[i];
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(total.Token);
            if (i < _clients.Length - 1)
            {
                budget.CancelAfter(_endpointBudget);
            }

            var started = InvocationMetrics.StartTimer();
            try
            {
                return await call(client, endpoint, budget.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && StsFailures.IsEndpointFailure(e, out var kind))
            {
                last = e;
                throttled |= kind == StsFailures.Kind.Throttled;
                if (i < _clients.Length - 1)
                {
                    InvocationMetrics.Count(MetricNames.StsFailover);
                }
            }
            catch (AmazonServiceException e) when (!ct.IsCancellationRequested)
            {
                return refuse(e) ?? StsFailures.Unmapped(e);
            }
            finally
            {
                InvocationMetrics.StsAnswered(endpoint.Region, started);
            }
        }

        // The total budget spent with no call made yet is the caller's, not STS's: a cancelled caller hears it as such.
        ct.ThrowIfCancellationRequested();

        // Throttling eases over seconds; an outage is worth a quick retry in case the next attempt lands elsewhere.
        var retryAfter = throttled ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(2);
        // The code only, never STS's message: it names roles and accounts, and a garbled answer could say anything.
        var reason = StsFailures.CodeOf(last);
        throw new DependencyUnavailableException(
            $"No STS endpoint gave a usable answer ({string.Join(", ", _clients.Select(c => c.Endpoint.Region))}; last: {reason}).", retryAfter, last);
    }

    public void Dispose()
    {
        foreach (var (_, client) in _clients)
        {
            client.Dispose();
        }
    }
}
