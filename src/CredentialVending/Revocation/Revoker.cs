using CredentialVending.Common;
using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Tenants;

namespace CredentialVending.Revocation;

/// <summary>What the revoke routes asked for, with who asked (an IAM principal's ARN, or an operator's subject).</summary>
public sealed record RevokeRequest(TenantDocument Tenant, RevocationTarget Target, string? Reason, string RevokedBy);

/// <summary>
/// docs/api.md's "Revocation": the role's deny first (IAM failing is 503 and nothing is recorded), then the subject's
/// token cutoff beside the tenant's document, the revoked leases' marks, and the revocation's own record.
/// </summary>
public sealed class Revoker
{
    // A lease lives at most STS's longest session, so older ones are past revoking and are not looked for.
    private static readonly TimeSpan LongestSession = TimeSpan.FromSeconds(StsInputs.MaxDurationSeconds);

    // A policy holds some 330 lease ids (31 characters each of IAM's 10,240): a subject with more live leases than
    // this could only be denied by the merge into a deny of every session, so that is what it gets, unlisted further.
    private const int MaxLeasesDeniedOneByOne = 500;

    private const int MarkPage = 200;

    // The function's timeout is 10 s: this leaves the IAM write's retries and the record their time before it.
    private static readonly TimeSpan DefaultMarkingBudget = TimeSpan.FromSeconds(5);

    private readonly LeaseStore _leases;
    private readonly PolicySync _policies;
    private readonly RevocationLedger _ledger;
    private readonly TenantStore _tenants;
    private readonly TimeProvider _time;
    private readonly TimeSpan _markingBudget;

    public Revoker(LeaseStore leases, PolicySync policies, RevocationLedger ledger, TenantStore tenants, TimeProvider time, TimeSpan? markingBudget = null)
    {
        _markingBudget = markingBudget ?? DefaultMarkingBudget;
        _leases = leases;
        _policies = policies;
        _ledger = ledger;
        _tenants = tenants;
        _time = time;
    }

    public async Task<Outcome<RevocationRecord>> RevokeAsync(RevokeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (tenant, target) = (request.Tenant, request.Target);
        var started = _time.GetTimestamp();
        var now = _time.GetUtcNow();

        // IAM and STS keep times in whole seconds: rounding up denies a session issued in the same second as the revocation.
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + (now.Millisecond > 0 || now.Microsecond > 0 ? 1 : 0));
        var revocationId = Ulid.New(now);
        var roleArn = tenant.Issuance.RoleArn;
        var expiresAt = notBefore.AddSeconds(tenant.Issuance.MaxDurationSeconds);
        List<Lease>? listed = null;
        var merged = false;
        List<RevocationEntry> entries;
        if (target.Kind == RevocationKind.Lease)
        {
            var lease = Ulid.IsValid(target.LeaseId ?? string.Empty)
                ? await DynamoFailures.GuardAsync(() => _leases.GetAsync(tenant.TenantId, target.LeaseId!, cancellationToken)).ConfigureAwait(false)
                : null;
            if (lease is null)
            {
                return new Refusal(Codes.NotFound, $"Tenant {tenant.TenantId} has no lease with that id.");
            }

            // The lease's own role, should the tenant have moved to another since.
            (roleArn, expiresAt, listed) = (lease.RoleArn, lease.ExpiresAt, [lease]);
            entries = [RevocationEntry.ForLease(revocationId, lease, notBefore)];
        }
        else if (target.Subject is null)
        {
            // The deny goes out before the ledger is read: a tenant with a million live leases is denied as fast as one with none.
            entries = [RevocationEntry.ForTenant(revocationId, notBefore, expiresAt)];
        }
        else if (SubjectKey(tenant, target.Subject) is { } key)
        {
            entries = [RevocationEntry.ForSubject(revocationId, key, target.Subject, notBefore, expiresAt)];
        }
        else
        {
            // Only this deny needs the ledger read first: the subject's sessions carry nothing of it but their names.
            var (live, all) = await LiveLeasesAsync(tenant.TenantId, target.Subject, now, MaxLeasesDeniedOneByOne, cancellationToken).ConfigureAwait(false);
            (listed, merged) = (all ? live : null, !all);
            entries = all
                ? [.. live.Where(l => l.RoleArn == tenant.Issuance.RoleArn).Select(l => RevocationEntry.ForLease(revocationId, l, notBefore))]
                : [RevocationEntry.ForTenant(revocationId, notBefore, expiresAt)];
        }

        var (_, policyMerged) = await _policies.AddAsync(tenant.TenantId, roleArn, revocationId, entries, cancellationToken).ConfigureAwait(false);
        merged |= policyMerged;
        if (target.Kind != RevocationKind.Lease)
        {
            var until = expiresAt > notBefore + TokenRevocations.TokenLifetime ? expiresAt : notBefore + TokenRevocations.TokenLifetime;
            var (_, tokensMerged) = await _tenants.RevokeTokensAsync(tenant.TenantId, target.Subject, new TokenCutoff(notBefore, until), now, cancellationToken).ConfigureAwait(false);
            merged |= tokensMerged;
        }

        var (marked, complete) = await MarkAsync(tenant.TenantId, target.Subject, listed, revocationId, now, started, cancellationToken).ConfigureAwait(false);
        var record = new RevocationRecord
        {
            RevocationId = revocationId,
            TenantId = tenant.TenantId,
            Target = target,
            RoleArn = roleArn,
            NotBefore = notBefore,
            ExpiresAt = expiresAt,
            RevokedAt = now,
            RevokedBy = request.RevokedBy,
            Reason = request.Reason,
            Merged = merged,
            LeasesRevoked = marked,
            LeasesIncomplete = !complete,
        };
        await _ledger.RecordAsync(record, cancellationToken).ConfigureAwait(false);
        InvocationMetrics.Count(MetricNames.Revocations);
        return record;
    }

    /// <summary>
    /// The condition key that carries <paramref name="tenant"/>'s subjects in its sessions: <c>aws:SourceIdentity</c>
    /// (assumeRole mode sets it when the subject fits STS's pattern, brokered mode through the token it mints), else <c>aws:PrincipalTag/subject</c> when the
    /// tenant tags sessions with exactly the subject; null when no key is set by this service (webIdentity mode).
    /// </summary>
    public static string? SubjectKey(TenantDocument tenant, string subject)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (tenant.Issuance.Mode is not (IssuanceMode.AssumeRole or IssuanceMode.Brokered))
        {
            return null;
        }

        if (StsInputs.FitsSessionName(subject))
        {
            return RevocationEntry.SourceIdentityKey;
        }

        return tenant.SessionTags.Any(t => t.Key == "subject" && t.Value == "{{subject}}") && StsInputs.FitsTagValue(subject)
            ? RevocationEntry.SubjectTagKey
            : null;
    }

    /// <summary>
    /// Marks the revoked leases in the ledger, a page at a time, until <see cref="_markingBudget"/> from the start has
    /// passed (the first page always): the deny is already written, so the marks are the ledger's account of it, and a
    /// revocation of a busy tenant must still answer (and be recorded) before the function's deadline.
    /// </summary>
    private async Task<(int Marked, bool Complete)> MarkAsync(
        string tenantId, string? subject, List<Lease>? listed, string revocationId, DateTimeOffset now, long started, CancellationToken cancellationToken)
    {
        var marked = 0;
        string? after = null;
        do
        {
            List<Lease> page;
            if (listed is not null)
            {
                page = listed;
            }
            else
            {
                (page, after) = await LivePageAsync(tenantId, subject, now, after, cancellationToken).ConfigureAwait(false);
            }

            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, (lease, ct) =>
                new ValueTask(_ledger.MarkLeaseAsync(tenantId, lease.LeaseId, revocationId, now, ct))).ConfigureAwait(false);
            marked += page.Count;
        }
        while (after is not null && _time.GetElapsedTime(started) < _markingBudget);
        return (marked, after is null);
    }

    /// <summary>
    /// A subject's leases whose credentials are still alive at <paramref name="now"/>, and whether that is all of them:
    /// the listing stops past <paramref name="most"/>.
    /// </summary>
    private async Task<(List<Lease> Live, bool All)> LiveLeasesAsync(string tenantId, string subject, DateTimeOffset now, int most, CancellationToken cancellationToken)
    {
        var live = new List<Lease>();
        string? after = null;
        do
        {
            var (page, next) = await LivePageAsync(tenantId, subject, now, after, cancellationToken).ConfigureAwait(false);
            live.AddRange(page);
            after = next;
        }
        while (after is not null && live.Count <= most);
        return (live, live.Count <= most);
    }

    /// <summary>A page of the tenant's (or a subject's) leases issued within STS's longest session, those still alive at <paramref name="now"/>.</summary>
    private async Task<(List<Lease> Live, string? After)> LivePageAsync(string tenantId, string? subject, DateTimeOffset now, string? after, CancellationToken cancellationToken)
    {
        var query = new LeaseQuery { TenantId = tenantId, Subject = subject, Since = now - LongestSession, Until = now, Limit = MarkPage, After = after };
        var page = await DynamoFailures.GuardAsync(() => _leases.QueryAsync(query, cancellationToken)).ConfigureAwait(false);
        return ([.. page.Items.Where(l => l.ExpiresAt > now)], page.LastLeaseId);
    }
}
