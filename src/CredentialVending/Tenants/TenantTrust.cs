using CredentialVending.Common;
using CredentialVending.Decoding;

namespace CredentialVending.Tenants;

/// <summary>
/// docs/api.md's "One trust per tenant", checked when a document is put: its role is no other tenant's and within
/// TENANT_ROLE_ARN_PATTERN, and no other tenant takes the same issuer's tokens for an audience it takes unless both
/// name their tenant in a claim. Without transactions (dynalite has none), a scan finds every other tenant (legacy
/// ones too); a conditional claim item per role keeps two concurrent PUTs from both taking one role; and each PUT
/// writes its document as an intent before it scans, so of two concurrent PUTs sharing an issuer, the later scan
/// sees the earlier one (a scan is no snapshot, so the intent is kept for <see cref="ClaimGrace"/>, not dropped).
/// </summary>
public sealed class TenantTrust
{
    /// <summary>How long a claim whose tenant does not (yet) name the role is taken for a PUT in progress: past Lambda's timeout.</summary>
    public static readonly TimeSpan ClaimGrace = TimeSpan.FromSeconds(60);

    private readonly TenantStore _store;
    private readonly string? _rolePattern;
    private readonly TimeProvider _time;

    public TenantTrust(TenantStore store, string? rolePattern, TimeProvider time)
    {
        _store = store;
        _rolePattern = rolePattern;
        _time = time;
    }

    /// <summary>Checks the rules, claims the role, then stores the document (<see cref="TenantStore.PutAsync"/>).</summary>
    public async Task<Outcome<(PutResult Result, StoredTenant? Stored)>> PutAsync(TenantDocument document, string json, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var tenantId = document.TenantId;
        var mine = new TrustFacts(RoleKey(document.Issuance.RoleArn), document.Identity.Issuer, document.Identity.Audiences, document.Identity.TenantClaim is not null);
        var now = _time.GetUtcNow();
        await _store.PutIntentAsync(tenantId, json, now, cancellationToken).ConfigureAwait(false);
        var scan = await _store.ScanAllAsync(cancellationToken).ConfigureAwait(false);
        var claims = scan.Claims;
        var others = scan.Tenants.Where(t => t.TenantId != tenantId).Select(t => (t.TenantId, Facts: TrustFacts.Read(t.Json))).ToArray();

        var errors = new List<FieldError>();
        if (_rolePattern is not null && !ArnPatterns.Matches(_rolePattern, document.Issuance.RoleArn))
        {
            errors.Add(new("issuance.roleArn", $"is outside the roles this deployment lets tenants use (TENANT_ROLE_ARN_PATTERN {_rolePattern})"));
        }

        foreach (var (other, facts) in others)
        {
            if (facts.RoleKey is not null && facts.RoleKey == mine.RoleKey)
            {
                errors.Add(RoleTaken(other));
            }

            if (mine.SharesTokensWith(facts) is { } audience && !(mine.HasTenantClaim && facts.HasTenantClaim))
            {
                errors.Add(new("identity.tenantClaim",
                    $"tenant {other} trusts the same issuer for audience {audience}: both tenants must set tenantClaim, so that a token names the one tenant it is for"));
            }
        }

        // The role has its own claim item; the issuer rule has only the intents of PUTs under way (a stored one is above).
        var underWay = scan.Intents.Where(i => i.TenantId != tenantId && now - i.At < ClaimGrace && !scan.Tenants.Any(t => t.TenantId == i.TenantId && t.Json == i.Json));
        foreach (var intent in underWay)
        {
            var facts = TrustFacts.Read(intent.Json);
            if (mine.SharesTokensWith(facts) is { } audience && !(mine.HasTenantClaim && facts.HasTenantClaim))
            {
                errors.Add(new("identity.tenantClaim",
                    $"tenant {intent.TenantId} is being put right now with the same issuer for audience {audience}: both tenants must set tenantClaim; try again in a minute if that PUT fails"));
            }
        }

        if (errors.Count > 0)
        {
            await _store.DeleteIntentAsync(tenantId, cancellationToken).ConfigureAwait(false);
            return Refused(errors);
        }

        var wasMine = claims.Any(c => c.RoleKey == mine.RoleKey && c.TenantId == tenantId);
        if (await ClaimAsync(mine.RoleKey!, tenantId, cancellationToken).ConfigureAwait(false) is { } taken)
        {
            await _store.DeleteIntentAsync(tenantId, cancellationToken).ConfigureAwait(false);
            return Refused([taken]);
        }

        var (result, stored) = await _store.PutAsync(tenantId, json, ifMatch, cancellationToken).ConfigureAwait(false);
        if (result is PutResult.Created or PutResult.Updated)
        {
            // A tenant that moved to another role frees the one it had, for the tenant meant to have it.
            foreach (var old in claims.Where(c => c.TenantId == tenantId && c.RoleKey != mine.RoleKey))
            {
                await _store.ReleaseRoleAsync(old.RoleKey, tenantId, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (result == PutResult.PreconditionFailed)
        {
            await _store.DeleteIntentAsync(tenantId, cancellationToken).ConfigureAwait(false);
            if (!wasMine)
            {
                await _store.ReleaseRoleAsync(mine.RoleKey!, tenantId, cancellationToken).ConfigureAwait(false);
            }
        }

        return (result, stored);
    }

    /// <summary>IAM role names are unique in an account whatever their path, and case-insensitively: one key per role.</summary>
    public static string? RoleKey(string? roleArn) =>
        SessionArns.ReadRole(roleArn) is { } role ? $"{role.Partition}:{role.Account}:{role.Name.ToLowerInvariant()}" : null;

    /// <summary>Null once the role is claimed for the tenant; else the error naming the tenant that holds it.</summary>
    private async Task<FieldError?> ClaimAsync(string roleKey, string tenantId, CancellationToken cancellationToken)
    {
        RoleClaim? replacing = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = _time.GetUtcNow();
            if (await _store.ClaimRoleAsync(roleKey, tenantId, now, replacing, cancellationToken).ConfigureAwait(false) is not { } holder)
            {
                return null;
            }

            if (holder.TenantId.Length == 0)
            {
                replacing = null;
                continue;
            }

            // Read again, not from the scan: the holder may have stored its document since.
            var held = await _store.GetAsync(holder.TenantId, cancellationToken).ConfigureAwait(false);
            if (held is not null && TrustFacts.Read(held.Json).RoleKey == roleKey)
            {
                return RoleTaken(holder.TenantId);
            }

            if (now - holder.ClaimedAt < ClaimGrace)
            {
                return new("issuance.roleArn", $"is being claimed by a PUT of tenant {holder.TenantId} right now; if that PUT failed, its claim lapses within a minute");
            }

            // A claim left by a PUT that never stored its document (or a tenant that left the role): taken over only if unchanged.
            replacing = holder;
        }

        return new("issuance.roleArn", "could not be claimed: other PUTs keep changing its claim; try again");
    }

    private static FieldError RoleTaken(string other) =>
        new("issuance.roleArn", $"is already the role of tenant {other}: each tenant needs a role of its own, so that its sessions, leases and decoded messages are its alone");

    private static Refusal Refused(IReadOnlyList<FieldError> errors) => new(
        Codes.InvalidTenant,
        errors.Count == 1 ? "the tenant document has 1 problem" : $"the tenant document has {errors.Count} problems",
        errors);
}
