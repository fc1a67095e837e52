using CredentialVending.Common;

namespace CredentialVending.Leases;

/// <summary>
/// The lease ledger as the operator and admin routes read it: one lease, a tenant's page, a lease by access key. A
/// DynamoDB failure is a <see cref="DependencyUnavailableException"/> (503) here, not in each route.
/// </summary>
public sealed class LeaseLedger
{
    private readonly LeaseStore _store;

    public LeaseLedger(LeaseStore store) => _store = store;

    /// <summary>The tenant's lease, or null. Only a ULID can be a lease id: anything else is answered without a read.</summary>
    public async Task<Lease?> GetAsync(string tenantId, string leaseId, CancellationToken cancellationToken) =>
        Ulid.IsValid(leaseId)
            ? await DynamoFailures.GuardAsync(() => _store.GetAsync(tenantId, leaseId, cancellationToken)).ConfigureAwait(false)
            : null;

    public Task<LeasePage> QueryAsync(LeaseQuery query, CancellationToken cancellationToken) =>
        DynamoFailures.GuardAsync(() => _store.QueryAsync(query, cancellationToken));

    /// <summary>The lease of an access key id, whatever the tenant: the newest, should STS ever have reused a key id; or null.</summary>
    public async Task<Lease?> FindByAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        var leases = await DynamoFailures.GuardAsync(() => _store.FindByAccessKeyAsync(accessKeyId, cancellationToken)).ConfigureAwait(false);
        return leases.Count == 0 ? null : leases[0];
    }
}
