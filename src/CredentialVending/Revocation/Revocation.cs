namespace CredentialVending.Revocation;

/// <summary>What an operator asked to revoke: one lease, one subject, or every session of the tenant.</summary>
public sealed record RevocationTarget(RevocationKind Kind, string? LeaseId = null, string? Subject = null)
{
    public static RevocationTarget Lease(string leaseId) => new(RevocationKind.Lease, LeaseId: leaseId);

    public static RevocationTarget OfSubject(string subject) => new(RevocationKind.Subject, Subject: subject);

    public static RevocationTarget All { get; } = new(RevocationKind.Tenant);
}

/// <summary>
/// A revocation as the ledger records it (partition the tenant, sort key <c>revocation#REVOCATIONID</c>).
/// <see cref="RevokedBy"/> is who asked (an IAM principal's ARN, or the operator's subject); <see cref="Merged"/> says
/// the role's policy was full and its single-lease entries became one deny of every session issued before
/// <see cref="NotBefore"/>; <see cref="LeasesRevoked"/> counts the live leases marked revoked, and
/// <see cref="LeasesIncomplete"/> says the marking stopped at its time budget with more left unmarked (the deny covers them).
/// </summary>
public sealed record RevocationRecord
{
    public required string RevocationId { get; init; }
    public required string TenantId { get; init; }
    public required RevocationTarget Target { get; init; }
    public required string RoleArn { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }
    public required string RevokedBy { get; init; }
    public string? Reason { get; init; }
    public bool Merged { get; init; }
    public int LeasesRevoked { get; init; }
    public bool LeasesIncomplete { get; init; }
}
