using CredentialVending.Common;

namespace CredentialVending.Revocation;

/// <summary>
/// Adds an entry to a role's revocation policy without losing a concurrent writer's: the entries are first agreed on in
/// the conditional version item (<see cref="RevocationStateStore"/>), then the role's policy is made to match the
/// version read, and read again: while a newer version has appeared, it is written too. Every writer ends on a check
/// after its last write to IAM, so the last write IAM receives holds the newest version.
/// </summary>
public sealed class PolicySync
{
    // Optimistic writes retried this often; 16 writers on one role settle well within it, as the concurrency test shows.
    private const int MaxCommitAttempts = 40;

    // Each round follows a newer version another writer committed: it ends once no writer is left.
    private const int MaxSyncRounds = 40;

    private readonly IRolePolicies _iam;
    private readonly RevocationStateStore _states;
    private readonly TimeProvider _time;

    public PolicySync(IRolePolicies iam, RevocationStateStore states, TimeProvider time)
    {
        _iam = iam;
        _states = states;
        _time = time;
    }

    /// <summary>
    /// Commits <paramref name="added"/> (the entries of revocation <paramref name="revocationId"/>) and writes the role's policy. IAM failing throws (a
    /// <see cref="DependencyUnavailableException"/>), after taking the entry back out of the version item, unless it
    /// was merged into a tenant-wide deny (which then also denies what others revoked).
    /// </summary>
    public async Task<(RevocationState State, bool Merged)> AddAsync(string tenantId, string roleArn, string revocationId, IReadOnlyList<RevocationEntry> added, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(added);
        var (state, merged) = await CommitAsync(tenantId, roleArn, revocationId, added, remove: false, cancellationToken).ConfigureAwait(false);
        try
        {
            await SyncAsync(tenantId, roleArn, state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DependencyUnavailableException or IamRefusedException)
        {
            if (!merged)
            {
                await CommitAsync(tenantId, roleArn, revocationId, [], remove: true, cancellationToken).ConfigureAwait(false);
            }

            throw e as DependencyUnavailableException
                ?? new DependencyUnavailableException($"IAM refused to write the role's revocation policy ({((IamRefusedException)e).ErrorCode}); nothing was revoked.", TimeSpan.FromSeconds(5), e);
        }

        return (state, merged);
    }

    /// <summary>The role's name: IAM's calls take it, not the ARN; it is the ARN's last path segment.</summary>
    public static string RoleName(string roleArn)
    {
        ArgumentNullException.ThrowIfNull(roleArn);
        return roleArn[(roleArn.LastIndexOf('/') + 1)..];
    }

    private async Task<(RevocationState State, bool Merged)> CommitAsync(string tenantId, string roleArn, string revocationId, IReadOnlyList<RevocationEntry> added, bool remove, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxCommitAttempts; attempt++)
        {
            var read = await _states.GetAsync(tenantId, roleArn, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<RevocationEntry> start = remove ? [.. read.Entries.Where(e => e.RevocationId != revocationId)] : read.Entries;
            var (entries, merged) = RevocationPolicy.With(start, added, revocationId, _time.GetUtcNow());
            if (await _states.TryPutAsync(tenantId, roleArn, read, entries, cancellationToken).ConfigureAwait(false) is { } written)
            {
                return (written, merged);
            }

            // Another revocation of this role came first: back off a little, at random, so the writers spread out.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + (attempt * 10))), _time, cancellationToken).ConfigureAwait(false);
        }

        throw new DependencyUnavailableException("Too many revocations of this tenant's role at once; try again shortly.", TimeSpan.FromSeconds(2));
    }

    private async Task SyncAsync(string tenantId, string roleArn, RevocationState state, CancellationToken cancellationToken)
    {
        var roleName = RoleName(roleArn);
        for (var round = 0; round < MaxSyncRounds; round++)
        {
            var document = RevocationPolicy.Render(state.Entries);
            var current = await _iam.GetAsync(roleName, RevocationPolicy.Name, cancellationToken).ConfigureAwait(false);
            if (current != document)
            {
                if (document is null)
                {
                    await _iam.DeleteAsync(roleName, RevocationPolicy.Name, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _iam.PutAsync(roleName, RevocationPolicy.Name, document, cancellationToken).ConfigureAwait(false);
                }
            }

            var latest = await _states.GetAsync(tenantId, roleArn, cancellationToken).ConfigureAwait(false);
            if (latest.Version == state.Version)
            {
                return;
            }

            state = latest;
        }
    }
}
