using CredentialVending.Common;
using CredentialVending.Leases;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Leases;

/// <summary>The ledger as the operator and admin routes read it: one lease, a tenant's page, a lease by access key.</summary>
[Collection(LocalTablesCollection.Name)]
public sealed class LeaseLedgerTests(LocalTablesFixture local)
{
    [Fact]
    public async Task A_lease_is_found_by_its_tenant_and_id_and_by_its_access_key_and_only_so()
    {
        var (store, ledger) = Ledger();
        var lease = NewLease(LocalTablesFixture.NewTenantId());
        await store.PutAsync(lease, CancellationToken.None);

        Assert.Equal(lease.AccessKeyId, (await ledger.GetAsync(lease.TenantId, lease.LeaseId, CancellationToken.None))!.AccessKeyId);
        Assert.Equal(lease.LeaseId, (await ledger.FindByAccessKeyAsync(lease.AccessKeyId, CancellationToken.None))!.LeaseId);
        Assert.Null(await ledger.GetAsync("another-tenant", lease.LeaseId, CancellationToken.None));
        Assert.Null(await ledger.FindByAccessKeyAsync("ASIA" + new string('Z', 16), CancellationToken.None));
    }

    [Fact]
    public async Task The_newest_lease_of_an_access_key_is_the_one_found()
    {
        var (store, ledger) = Ledger();
        var older = NewLease(LocalTablesFixture.NewTenantId(), DateTimeOffset.UtcNow.AddMinutes(-5));
        var newer = NewLease(LocalTablesFixture.NewTenantId()) with { AccessKeyId = older.AccessKeyId };
        await store.PutAsync(older, CancellationToken.None);
        await store.PutAsync(newer, CancellationToken.None);

        Assert.Equal(newer.LeaseId, (await ledger.FindByAccessKeyAsync(older.AccessKeyId, CancellationToken.None))!.LeaseId);
    }

    [Fact]
    public async Task A_tenants_page_holds_its_leases_newest_first()
    {
        var (store, ledger) = Ledger();
        var tenantId = LocalTablesFixture.NewTenantId();
        var first = NewLease(tenantId, DateTimeOffset.UtcNow.AddMinutes(-1));
        var second = NewLease(tenantId);
        await store.PutAsync(first, CancellationToken.None);
        await store.PutAsync(second, CancellationToken.None);

        var page = await ledger.QueryAsync(new LeaseQuery { TenantId = tenantId, Limit = 10 }, CancellationToken.None);

        Assert.Equal([second.LeaseId, first.LeaseId], page.Items.Select(l => l.LeaseId));
    }

    [Fact]
    public async Task A_lease_id_that_is_no_ulid_is_answered_as_no_lease_without_asking_dynamodb()
    {
        using var dynamo = LocalTablesFixture.Unreachable();
        var ledger = new LeaseLedger(new LeaseStore(dynamo, "leases", TimeSpan.FromDays(1)));

        Assert.Null(await ledger.GetAsync("acme", "not-a-ulid", CancellationToken.None));
    }

    [Fact]
    public async Task An_unreachable_dynamodb_is_a_dependency_failure_on_every_read_never_a_refusal()
    {
        using var dynamo = LocalTablesFixture.Unreachable();
        var ledger = new LeaseLedger(new LeaseStore(dynamo, "leases", TimeSpan.FromDays(1)));

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => ledger.GetAsync("acme", Ulid.New(DateTimeOffset.UtcNow), CancellationToken.None));
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => ledger.QueryAsync(new LeaseQuery { TenantId = "acme", Limit = 10 }, CancellationToken.None));
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => ledger.FindByAccessKeyAsync("ASIA" + new string('A', 16), CancellationToken.None));
    }

    internal static Lease NewLease(string tenantId, DateTimeOffset? issuedAt = null)
    {
        var at = issuedAt ?? DateTimeOffset.UtcNow;
        return new Lease
        {
            LeaseId = Ulid.New(at),
            TenantId = tenantId,
            Subject = "alice",
            Issuer = "https://issuer.example",
            Scopes = ["files:read"],
            Mode = "assumeRole",
            RoleArn = "arn:aws:iam::123456789012:role/tenant",
            AssumedRoleArn = "arn:aws:sts::123456789012:assumed-role/tenant/x",
            AccessKeyId = "ASIA" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(),
            IssuedAt = at,
            ExpiresAt = at.AddMinutes(15),
            DurationSeconds = 900,
            StsRegion = "us-east-1",
            PolicySha256 = new string('0', 64),
        };
    }

    private (LeaseStore Store, LeaseLedger Ledger) Ledger()
    {
        var store = new LeaseStore(local.Tables.Dynamo, local.Tables.LeasesTable, TimeSpan.FromDays(1));
        return (store, new LeaseLedger(store));
    }
}
