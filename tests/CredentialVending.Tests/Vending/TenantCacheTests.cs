using CredentialVending.Tests.Tenants;
using CredentialVending.Tests.TestSupport;
using CredentialVending.Vending;

namespace CredentialVending.Tests.Vending;

/// <summary>The vend path's tenant cache: a document is served only while younger than TENANT_CACHE_SECONDS.</summary>
public sealed class TenantCacheTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_document_is_served_until_its_lifetime_has_passed_and_never_after()
    {
        var time = new ManualTimeProvider();
        var cache = new TenantCache(Lifetime, time);
        var acme = TenantSamples.Valid();
        cache.Put(acme, time.GetUtcNow());

        time.Advance(Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.True(cache.TryGet("acme", out var served));
        Assert.Same(acme, served);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(cache.TryGet("acme", out _));
    }

    [Fact]
    public void Its_age_counts_from_when_the_read_began()
    {
        var time = new ManualTimeProvider();
        var cache = new TenantCache(Lifetime, time);
        var readAt = time.GetUtcNow();

        // A slow read: the document may have changed at any moment after the read began.
        time.Advance(TimeSpan.FromSeconds(4));
        cache.Put(TenantSamples.Valid(), readAt);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("acme", out _));
    }

    [Fact]
    public void A_tenant_never_read_is_not_served()
    {
        var time = new ManualTimeProvider();
        var cache = new TenantCache(Lifetime, time);
        cache.Put(TenantSamples.Valid(), time.GetUtcNow());

        Assert.False(cache.TryGet("acme-2", out _));
    }

    [Fact]
    public void It_holds_no_more_than_its_bound()
    {
        var time = new ManualTimeProvider();
        var cache = new TenantCache(Lifetime, time);
        var acme = TenantSamples.Valid();
        for (var i = 0; i <= TenantCache.MaxEntries; i++)
        {
            cache.Put(acme with { TenantId = $"t{i}" }, time.GetUtcNow());
        }

        var kept = Enumerable.Range(0, TenantCache.MaxEntries + 1).Count(i => cache.TryGet($"t{i}", out _));
        Assert.InRange(kept, 1, TenantCache.MaxEntries);
        Assert.True(cache.TryGet($"t{TenantCache.MaxEntries}", out _), "the newest document is kept");
    }

    [Fact]
    public void A_lifetime_of_zero_is_no_cache_and_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TenantCache(TimeSpan.Zero, TimeProvider.System));
    }
}
