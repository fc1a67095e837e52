using CredentialVending.Tenants;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Tenants;

/// <summary>The role claims and PUT intents <see cref="TenantStore"/> keeps beside the tenants, on dynalite.</summary>
[Collection(TemplateDynamoCollection.Name)]
public sealed class TenantStoreTrustTests(TemplateDynamo dynamo)
{
    private const string Role = "aws:123456789012:tenant-acme";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);

    private async Task<TenantStore> NewStoreAsync() => new(dynamo.Client, (await dynamo.NewTablesAsync()).Tenants);

    [Fact]
    public async Task A_free_role_is_claimed_and_then_refused_to_another_tenant_with_the_holder_named()
    {
        var store = await NewStoreAsync();

        var first = await store.ClaimRoleAsync(Role, "acme", Now, null, CancellationToken.None);
        var again = await store.ClaimRoleAsync(Role, "acme", Now.AddSeconds(5), null, CancellationToken.None);
        var other = await store.ClaimRoleAsync(Role, "globex", Now, null, CancellationToken.None);

        Assert.Null(first);
        Assert.Null(again);
        Assert.Equal(new RoleClaim(Role, "acme", Now.AddSeconds(5)), other);
    }

    [Fact]
    public async Task A_claim_is_taken_over_only_while_it_is_exactly_the_one_replaced()
    {
        var store = await NewStoreAsync();
        await store.ClaimRoleAsync(Role, "acme", Now, null, CancellationToken.None);
        var held = new RoleClaim(Role, "acme", Now);

        var stale = await store.ClaimRoleAsync(Role, "globex", Now.AddMinutes(1), held with { ClaimedAt = Now.AddSeconds(-1) }, CancellationToken.None);
        var taken = await store.ClaimRoleAsync(Role, "globex", Now.AddMinutes(1), held, CancellationToken.None);
        var back = await store.ClaimRoleAsync(Role, "acme", Now.AddMinutes(2), null, CancellationToken.None);

        Assert.Equal(held, stale);
        Assert.Null(taken);
        Assert.Equal(new RoleClaim(Role, "globex", Now.AddMinutes(1)), back);
    }

    [Fact]
    public async Task Only_the_holder_releases_a_claim()
    {
        var store = await NewStoreAsync();
        await store.ClaimRoleAsync(Role, "acme", Now, null, CancellationToken.None);

        await store.ReleaseRoleAsync(Role, "globex", CancellationToken.None);
        var whileHeld = await store.ClaimRoleAsync(Role, "globex", Now, null, CancellationToken.None);
        await store.ReleaseRoleAsync(Role, "acme", CancellationToken.None);
        var afterRelease = await store.ClaimRoleAsync(Role, "globex", Now, null, CancellationToken.None);

        Assert.Equal("acme", whileHeld?.TenantId);
        Assert.Null(afterRelease);
    }

    [Fact]
    public async Task Two_tenants_claiming_one_free_role_at_once_leave_it_to_exactly_one()
    {
        var store = await NewStoreAsync();

        var answers = await Task.WhenAll(
            store.ClaimRoleAsync(Role, "acme", Now, null, CancellationToken.None),
            store.ClaimRoleAsync(Role, "globex", Now, null, CancellationToken.None));

        var refused = Assert.Single(answers, a => a is not null)!;
        Assert.Single(answers, a => a is null);
        var holder = Assert.Single((await store.ScanAllAsync(CancellationToken.None)).Claims);
        Assert.Equal(refused.TenantId, holder.TenantId);
    }

    [Fact]
    public async Task The_scan_answers_tenants_claims_and_intents_apart_and_a_dropped_intent_is_gone()
    {
        var store = await NewStoreAsync();
        await store.PutAsync("acme", """{"tenantId":"acme"}""", null, CancellationToken.None);
        await store.ClaimRoleAsync(Role, "acme", Now, null, CancellationToken.None);
        await store.PutIntentAsync("globex", """{"tenantId":"globex"}""", Now, CancellationToken.None);
        await store.PutIntentAsync("initech", """{"tenantId":"initech"}""", Now, CancellationToken.None);

        var before = await store.ScanAllAsync(CancellationToken.None);
        await store.DeleteIntentAsync("initech", CancellationToken.None);
        var after = await store.ScanAllAsync(CancellationToken.None);

        Assert.Equal(["acme"], before.Tenants.Select(t => t.TenantId));
        Assert.Equal([new RoleClaim(Role, "acme", Now)], before.Claims);
        Assert.Equal(["globex", "initech"], before.Intents.Select(i => i.TenantId).Order(StringComparer.Ordinal));
        Assert.Equal([new PutIntent("globex", """{"tenantId":"globex"}""", Now)], after.Intents);
        Assert.Null(await store.GetAsync("_intent#globex", CancellationToken.None));
    }

    [Fact]
    public async Task A_tenant_keeps_one_intent_the_latest()
    {
        var store = await NewStoreAsync();

        await store.PutIntentAsync("acme", """{"v":1}""", Now, CancellationToken.None);
        await store.PutIntentAsync("acme", """{"v":2}""", Now.AddSeconds(1), CancellationToken.None);

        Assert.Equal([new PutIntent("acme", """{"v":2}""", Now.AddSeconds(1))], (await store.ScanAllAsync(CancellationToken.None)).Intents);
    }

    [Fact]
    public async Task The_scan_reads_every_page_of_a_table_larger_than_one()
    {
        var store = await NewStoreAsync();

        // DynamoDB answers a scan at most 1 MB a page: 12 documents of 100 KB take two pages at least.
        var padding = new string('x', 100_000);
        var ids = Enumerable.Range(0, 12).Select(i => $"tenant-{i:00}").ToArray();
        foreach (var id in ids)
        {
            await store.PutAsync(id, $$"""{"tenantId":"{{id}}","pad":"{{padding}}"}""", null, CancellationToken.None);
        }

        var scan = await store.ScanAllAsync(CancellationToken.None);

        Assert.Equal(ids, scan.Tenants.Select(t => t.TenantId).Order(StringComparer.Ordinal));
    }
}
