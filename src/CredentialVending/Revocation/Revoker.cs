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

    private readonly LeaseStore _leases;
    private readonly PolicySync _policies;
    private readonly RevocationLedger _ledger;
    private readonly TenantStore _tenants;
    private readonly TimeProvider _time;

    public Revoker(LeaseStore leases, PolicySync policies, RevocationLedger ledger, TenantStore tenants, TimeProvider time)
    {
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
        var now = _time.GetUtcNow();

        // IAM and STS keep times in whole seconds: rounding up denies a session issued in the same second as the revocation.
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + (now.Millisecond > 0 || now.Microsecond > 0 ? 1 : 0));
        var revocationId = Ulid.New(now);
        var roleArn = tenant.Issuance.RoleArn;
        var expiresAt = notBefore.AddSeconds(tenant.Issuance.MaxDurationSeconds);
        List<Lease> revoked;
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
            (roleArn, expiresAt, revoked) = (lease.RoleArn, lease.ExpiresAt, [lease]);
            entries = [RevocationEntry.ForLease(revocationId, lease, notBefore)];
        }
        else
        {
            revoked = await LiveLeasesAsync(tenant.TenantId, target.Subject, now, cancellationToken).ConfigureAwait(false);
            entries = [.. Entries(tenant, target, revocationId, notBefore, expiresAt, revoked)];
        }

        var (_, merged) = await _policies.AddAsync(tenant.TenantId, roleArn, revocationId, entries, cancellationToken).ConfigureAwait(false);
        if (target.Kind != RevocationKind.Lease)
        {
            var until = expiresAt > notBefore + TokenRevocations.TokenLifetime ? expiresAt : notBefore + TokenRevocations.TokenLifetime;
            var (_, tokensMerged) = await _tenants.RevokeTokensAsync(tenant.TenantId, target.Subject, new TokenCutoff(notBefore, until), now, cancellationToken).ConfigureAwait(false);
            merged |= tokensMerged;
        }

        await Parallel.ForEachAsync(revoked, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, (lease, ct) =>
            new ValueTask(_ledger.MarkLeaseAsync(tenant.TenantId, lease.LeaseId, revocationId, now, ct))).ConfigureAwait(false);
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
            LeasesRevoked = revoked.Count,
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

    private static IEnumerable<RevocationEntry> Entries(TenantDocument tenant, RevocationTarget target, string revocationId, DateTimeOffset notBefore, DateTimeOffset expiresAt, List<Lease> live)
    {
        if (target.Subject is null)
        {
            return [RevocationEntry.ForTenant(revocationId, notBefore, expiresAt)];
        }

        // With no key that names the subject in its sessions, its live sessions are denied one by one, by lease id.
        return SubjectKey(tenant, target.Subject) is { } key
            ? [RevocationEntry.ForSubject(revocationId, key, target.Subject, notBefore, expiresAt)]
            : live.Where(l => l.RoleArn == tenant.Issuance.RoleArn).Select(l => RevocationEntry.ForLease(revocationId, l, notBefore));
    }

    /// <summary>The tenant's (or a subject's) leases whose credentials are still alive at <paramref name="now"/>.</summary>
    private async Task<List<Lease>> LiveLeasesAsync(string tenantId, string? subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = new List<Lease>();
        string? after = null;
        do
        {
            var query = new LeaseQuery { TenantId = tenantId, Subject = subject, Since = now - LongestSession, Until = now, Limit = 100, After = after };
            var page = await DynamoFailures.GuardAsync(() => _leases.QueryAsync(query, cancellationToken)).ConfigureAwait(false);
            live.AddRange(page.Items.Where(l => l.ExpiresAt > now));
            after = page.LastLeaseId;
        }
        while (after is not null);
        return live;
    }
}
