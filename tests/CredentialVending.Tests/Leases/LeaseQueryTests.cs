using CredentialVending.Leases;
using CredentialVending.Tests.TestSupport;
using static CredentialVending.Tests.Leases.LeaseSamples;

namespace CredentialVending.Tests.Leases;

/// <summary>The ledger's reads for operators through <see cref="LeaseStore"/>: pages newest first, by subject, by access key.</summary>
[Collection(TemplateDynamoCollection.Name)]
public sealed class LeaseQueryTests(TemplateDynamo dynamo)
{
    private async Task<(LeaseStore Store, Lease[] Leases)> StoreWithAsync(params Lease[] leases)
    {
        var store = new LeaseStore(dynamo.Client, (await dynamo.NewTablesAsync()).Leases, TimeSpan.FromDays(90));
        foreach (var lease in leases)
        {
            await store.PutAsync(lease, CancellationToken.None);
        }

        return (store, leases);
    }

    private static string[] Ids(IEnumerable<Lease> leases) => [.. leases.Select(l => l.LeaseId)];

    [Fact]
    public async Task Pages_come_newest_first_and_the_cursor_of_each_starts_the_next_until_none_follow()
    {
        var (store, leases) = await StoreWithAsync([.. Enumerable.Range(0, 5).Select(i => Issued("acme", i))]);

        var first = await store.QueryAsync(new LeaseQuery { TenantId = "acme", Limit = 2 }, CancellationToken.None);
        var second = await store.QueryAsync(new LeaseQuery { TenantId = "acme", Limit = 2, After = first.LastLeaseId }, CancellationToken.None);
        var third = await store.QueryAsync(new LeaseQuery { TenantId = "acme", Limit = 2, After = second.LastLeaseId }, CancellationToken.None);

        Assert.Equal(Ids([leases[4], leases[3]]), Ids(first.Items));
        Assert.Equal(leases[3].LeaseId, first.LastLeaseId);
        Assert.Equal(Ids([leases[2], leases[1]]), Ids(second.Items));
        Assert.Equal(Ids([leases[0]]), Ids(third.Items));
        Assert.Null(third.LastLeaseId);
    }

    [Fact]
    public async Task A_page_that_ends_exactly_at_the_last_lease_says_none_follow()
    {
        var (store, leases) = await StoreWithAsync(Issued("acme", 0), Issued("acme", 1));

        var page = await store.QueryAsync(new LeaseQuery { TenantId = "acme", Limit = 2 }, CancellationToken.None);

        Assert.Equal(Ids([leases[1], leases[0]]), Ids(page.Items));
        Assert.Null(page.LastLeaseId);
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_leases()
    {
        var (store, leases) = await StoreWithAsync(Issued("acme", 0), Issued("acme-2", 1), Issued("acm", 2));

        var page = await store.QueryAsync(new LeaseQuery { TenantId = "acme", Limit = 10 }, CancellationToken.None);

        Assert.Equal(Ids([leases[0]]), Ids(page.Items));
    }

    [Fact]
    public async Task Since_and_until_bound_the_issue_time_both_inclusive()
    {
        var (store, leases) = await StoreWithAsync([.. Enumerable.Range(0, 5).Select(i => Issued("acme", i))]);

        var page = await store.QueryAsync(
            new LeaseQuery { TenantId = "acme", Limit = 10, Since = leases[1].IssuedAt, Until = leases[3].IssuedAt }, CancellationToken.None);

        Assert.Equal(Ids([leases[3], leases[2], leases[1]]), Ids(page.Items));
    }

    [Fact]
    public async Task A_subject_query_answers_that_subject_of_the_tenant_only_and_pages_like_the_rest()
    {
        var (store, leases) = await StoreWithAsync(
            Issued("acme", 0, "alice"), Issued("acme", 1, "bob"), Issued("acme", 2, "alice"), Issued("globex", 3, "alice"), Issued("acme", 4, "alice"));

        var first = await store.QueryAsync(new LeaseQuery { TenantId = "acme", Subject = "alice", Limit = 2 }, CancellationToken.None);
        var second = await store.QueryAsync(new LeaseQuery { TenantId = "acme", Subject = "alice", Limit = 2, After = first.LastLeaseId }, CancellationToken.None);

        Assert.Equal(Ids([leases[4], leases[2]]), Ids(first.Items));
        Assert.Equal(Ids([leases[0]]), Ids(second.Items));
        Assert.Null(second.LastLeaseId);
    }

    [Fact]
    public async Task A_subject_query_matches_the_whole_subject_not_a_prefix_of_it()
    {
        var (store, leases) = await StoreWithAsync(Issued("acme", 0, "x#y"), Issued("acme", 1, "x"), Issued("acme", 2, "xy"));

        var page = await store.QueryAsync(new LeaseQuery { TenantId = "acme", Subject = "x", Limit = 10 }, CancellationToken.None);

        Assert.Equal(Ids([leases[1]]), Ids(page.Items));
    }

    [Fact]
    public async Task An_access_key_query_answers_the_tenant_own_lease_of_that_key_within_the_other_filters()
    {
        const string Key = "ASIASHARED0000000001";
        var (store, leases) = await StoreWithAsync(
            Issued("acme", 0, "alice", Key), Issued("globex", 1, "alice", Key), Issued("acme", 2, "bob", Key), Issued("acme", 3, "alice"));

        var all = await store.QueryAsync(new LeaseQuery { TenantId = "acme", AccessKeyId = Key, Limit = 10 }, CancellationToken.None);
        var alice = await store.QueryAsync(new LeaseQuery { TenantId = "acme", AccessKeyId = Key, Subject = "alice", Limit = 10 }, CancellationToken.None);
        var paged = await store.QueryAsync(new LeaseQuery { TenantId = "acme", AccessKeyId = Key, Limit = 1 }, CancellationToken.None);
        var rest = await store.QueryAsync(new LeaseQuery { TenantId = "acme", AccessKeyId = Key, Limit = 1, After = paged.LastLeaseId }, CancellationToken.None);
        var early = await store.QueryAsync(new LeaseQuery { TenantId = "acme", AccessKeyId = Key, Limit = 10, Until = leases[1].IssuedAt }, CancellationToken.None);

        Assert.Equal(Ids([leases[2], leases[0]]), Ids(all.Items));
        Assert.Equal(Ids([leases[0]]), Ids(alice.Items));
        Assert.Equal(Ids([leases[2]]), Ids(paged.Items));
        Assert.Equal(leases[2].LeaseId, paged.LastLeaseId);
        Assert.Equal(Ids([leases[0]]), Ids(rest.Items));
        Assert.Null(rest.LastLeaseId);
        Assert.Equal(Ids([leases[0]]), Ids(early.Items));
    }

    [Fact]
    public async Task Finding_an_access_key_answers_every_tenant_lease_of_it_newest_first()
    {
        const string Key = "ASIASHARED0000000002";
        var (store, leases) = await StoreWithAsync(Issued("acme", 0, accessKeyId: Key), Issued("globex", 1, accessKeyId: Key), Issued("acme", 2));

        var found = await store.FindByAccessKeyAsync(Key, CancellationToken.None);

        Assert.Equal(Ids([leases[1], leases[0]]), Ids(found));
        Assert.Empty(await store.FindByAccessKeyAsync("ASIANOBODY0000000000", CancellationToken.None));
    }
}
