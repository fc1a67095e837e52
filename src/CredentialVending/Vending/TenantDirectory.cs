using System.Text;
using CredentialVending.Common;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>
/// Loads a tenant's document for a request: 404 <c>tenant_not_found</c> when there is none, 503 when DynamoDB fails.
/// With a <see cref="TenantCache"/> (the vend path's), a document read less than the cache's lifetime ago is reused.
/// </summary>
public sealed class TenantDirectory
{
    private readonly TenantStore _store;
    private readonly bool _allowInsecureLoopbackIssuers;
    private readonly TenantCache? _cache;
    private readonly TimeProvider _time;

    public TenantDirectory(TenantStore store, bool allowInsecureLoopbackIssuers)
        : this(store, allowInsecureLoopbackIssuers, cache: null, TimeProvider.System)
    {
    }

    public TenantDirectory(TenantStore store, bool allowInsecureLoopbackIssuers, TenantCache? cache, TimeProvider time)
    {
        _store = store;
        _allowInsecureLoopbackIssuers = allowInsecureLoopbackIssuers;
        _cache = cache;
        _time = time;
    }

    /// <summary>The document this directory last read for the tenant, however old (see <see cref="TenantCache.LastRead"/>); null without a cache.</summary>
    public TenantDocument? LastRead(string tenantId) => _cache?.LastRead(tenantId);

    public async Task<Outcome<TenantDocument>> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_cache is not null && _cache.TryGet(tenantId, out var cached))
        {
            return cached;
        }

        var readAt = _time.GetUtcNow();
        var stored = await DynamoFailures.GuardAsync(() => _store.GetAsync(tenantId, cancellationToken)).ConfigureAwait(false);
        if (stored is null)
        {
            // The id is the caller's own text: repeated only when it could be a tenant's.
            return new Refusal(Codes.TenantNotFound, TenantPatterns.TenantId().IsMatch(tenantId)
                ? $"No tenant '{tenantId}' is onboarded."
                : "No tenant is onboarded under that id: tenant ids are 2 to 63 of a-z, 0-9 and -, starting with a letter or digit.");
        }

        var document = TenantDocumentReader.ReadStored(Encoding.UTF8.GetBytes(stored.Json), tenantId, _allowInsecureLoopbackIssuers);
        // The tenants table answered an item that is no document this service wrote: DynamoDB's answer, not the caller's
        // request, so 503 like any garbled answer; what does not read is the operator's to see, not the caller's.
        if (document.IsRefused)
        {
            throw new DependencyUnavailableException(
                $"The stored document of tenant '{tenantId}' could not be read; try again shortly.",
                DynamoFailures.RetryAfter,
                new InvalidDataException(document.Refusal!.Detail));
        }

        var read = document.Value! with { Revoked = stored.Revoked };
        _cache?.Put(read, readAt);
        return read;
    }
}
