using CredentialVending.Common;
using CredentialVending.Limits;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>
/// One vend's count against its tenant's limit (docs/api.md "Credentials", step 5), sent so that the vend waits on at most
/// one DynamoDB round trip before STS. While the tenant's document is cached there is no tenant read: the count goes
/// out after the caller is authenticated, as the only call before STS. When a read is due for a tenant this instance has
/// read before, the count goes out alongside it, on the limit last read; the count is used only when the document
/// that comes back has that same limit, else it is sent again with the new one. A tenant never read here (or with
/// <c>TENANT_CACHE_SECONDS</c> at 0) is read first, so that a made-up tenant id never writes a counter.
/// </summary>
internal sealed class RateCount
{
    private readonly RateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly string _tenantId;
    private Task<TimeSpan?>? _early;
    private int _earlyLimit;

    private RateCount(RateLimiter limiter, TimeProvider time, string tenantId)
    {
        _limiter = limiter;
        _time = time;
        _tenantId = tenantId;
    }

    /// <summary>A count sent only when asked for: a vend whose tenant read went out alone.</summary>
    public static RateCount Fresh(RateLimiter limiter, TimeProvider time, string tenantId) => new(limiter, time, tenantId);

    /// <summary>Loads the tenant, with the count alongside when the read is due and the tenant's last document had a limit.</summary>
    public static async Task<(Outcome<TenantDocument> Tenant, RateCount Count)> LoadAsync(
        TenantDirectory tenants, RateLimiter limiter, TimeProvider time, string tenantId, CancellationToken cancellationToken)
    {
        var count = new RateCount(limiter, time, tenantId);
        var load = tenants.LoadAsync(tenantId, cancellationToken);
        if (load.IsCompleted || tenants.LastRead(tenantId)?.Limits?.RequestsPerMinute is not { } lastLimit)
        {
            return (await load.ConfigureAwait(false), count);
        }

        count._earlyLimit = lastLimit;
        count._early = count.SendAsync(lastLimit, cancellationToken);
        // Both are waited for whatever either answers: no call is left in flight when Lambda freezes the process, and
        // neither failure goes unobserved. The read's failure is met first here, the count's at step 5.
        await Task.WhenAll(load, count._early).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return (await load.ConfigureAwait(false), count);
    }

    /// <summary>Null when the request is within <paramref name="requestsPerMinute"/>, else how long to wait.</summary>
    public Task<TimeSpan?> WaitAsync(int requestsPerMinute, CancellationToken cancellationToken) =>
        _early is not null && _earlyLimit == requestsPerMinute ? _early : SendAsync(requestsPerMinute, cancellationToken);

    private Task<TimeSpan?> SendAsync(int requestsPerMinute, CancellationToken cancellationToken) =>
        DynamoFailures.GuardAsync(() => _limiter.TryAcquireAsync(_tenantId, requestsPerMinute, _time.GetUtcNow(), cancellationToken));
}
