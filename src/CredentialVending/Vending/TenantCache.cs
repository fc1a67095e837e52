using System.Collections.Concurrent;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>
/// Tenant documents the vend path read, kept for <c>TENANT_CACHE_SECONDS</c> so that a warm function does not wait on
/// the tenants table for every vend. A change or a suspension reaches every vend within that time: an entry is served
/// only while younger than it. Only documents are kept, never "no such tenant": an id a caller made up costs no memory,
/// and a tenant just onboarded is served at once.
/// </summary>
public sealed class TenantCache
{
    /// <summary>More tenants than one function instance serves at once; past it the cache starts afresh.</summary>
    public const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<string, (TenantDocument Document, DateTimeOffset ReadAt)> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public TenantCache(TimeSpan lifetime, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _lifetime = lifetime;
        _time = time;
    }

    public bool TryGet(string tenantId, out TenantDocument document)
    {
        if (_entries.TryGetValue(tenantId, out var entry) && _time.GetUtcNow() - entry.ReadAt < _lifetime)
        {
            document = entry.Document;
            return true;
        }

        document = null!;
        return false;
    }

    /// <summary>
    /// The document last read for <paramref name="tenantId"/>, however old: never served as the tenant, only a hint of
    /// what a read now due will likely answer (the vend path sends the rate counter alongside it on that hint).
    /// </summary>
    public TenantDocument? LastRead(string tenantId) => _entries.TryGetValue(tenantId, out var entry) ? entry.Document : null;

    /// <summary>Keeps <paramref name="document"/>, read at <paramref name="readAt"/> (before the read began, so its age is never understated).</summary>
    public void Put(TenantDocument document, DateTimeOffset readAt)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[document.TenantId] = (document, readAt);
    }
}
