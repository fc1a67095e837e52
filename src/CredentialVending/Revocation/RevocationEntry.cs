namespace CredentialVending.Revocation;

/// <summary>What one deny of the role's revocation policy aims at (docs/api.md, "Revocation").</summary>
public enum RevocationKind
{
    /// <summary>One session, by its name (the lease id): <c>StringLike aws:userid *:LEASEID</c>.</summary>
    Lease,

    /// <summary>A subject's sessions issued before <see cref="RevocationEntry.NotBefore"/>, by a key STS sets from the subject.</summary>
    Subject,

    /// <summary>Every session of the role issued before <see cref="RevocationEntry.NotBefore"/>.</summary>
    Tenant,
}

/// <summary>
/// One deny kept in the role's revocation policy, while a credential it denies can still be alive: until
/// <see cref="ExpiresAt"/>, the revoked lease's expiry or the revocation's time plus the tenant's longest session.
/// For a subject, <see cref="Key"/> is the request context key that carries it (<c>aws:SourceIdentity</c> or
/// <c>aws:PrincipalTag/subject</c>) and <see cref="Value"/> the subject; for a lease, <see cref="Value"/> is the session
/// name (the lease id, or a saml lease's own session name), and <see cref="Key"/>, for a saml lease only, the session's
/// issue time (ISO 8601): its name is the identity provider's and may recur, so the deny also holds
/// <c>DateEquals aws:TokenIssueTime</c> (docs/api.md "Revocation").
/// </summary>
public sealed record RevocationEntry(
    RevocationKind Kind,
    string RevocationId,
    DateTimeOffset NotBefore,
    DateTimeOffset ExpiresAt,
    string? Key = null,
    string? Value = null)
{
    public const string SourceIdentityKey = "aws:SourceIdentity";
    public const string SubjectTagKey = "aws:PrincipalTag/subject";

    public static RevocationEntry ForLease(string revocationId, string leaseId, DateTimeOffset now, DateTimeOffset leaseExpiresAt) =>
        new(RevocationKind.Lease, revocationId, now, leaseExpiresAt, Value: leaseId);

    /// <summary>The deny of one lease's session: by its lease id, or a saml lease's by its session name and issue time.</summary>
    public static RevocationEntry ForLease(string revocationId, Leases.Lease lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return lease.SessionName is { } name
            ? new(RevocationKind.Lease, revocationId, now, lease.ExpiresAt, Common.Iso8601.Format(lease.IssuedAt), name)
            : ForLease(revocationId, lease.LeaseId, now, lease.ExpiresAt);
    }

    public static RevocationEntry ForSubject(string revocationId, string key, string subject, DateTimeOffset notBefore, DateTimeOffset expiresAt) =>
        new(RevocationKind.Subject, revocationId, notBefore, expiresAt, key, subject);

    public static RevocationEntry ForTenant(string revocationId, DateTimeOffset notBefore, DateTimeOffset expiresAt) =>
        new(RevocationKind.Tenant, revocationId, notBefore, expiresAt);

    /// <summary>Two entries that deny the same sessions but for their times (and so can be one).</summary>
    public bool SameTarget(RevocationEntry other) =>
        other is not null && Kind == other.Kind && Key == other.Key && Value == other.Value;
}
