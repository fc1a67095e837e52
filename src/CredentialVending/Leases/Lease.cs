namespace CredentialVending.Leases;

/// <summary>
/// The ledger record of one issued credential, as docs/api.md's "Leases" names its fields.
/// It never holds a secret access key, a session token or the caller's token.
/// </summary>
public sealed record Lease
{
    public required string LeaseId { get; init; }
    public required string TenantId { get; init; }
    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public required string Mode { get; init; }
    public required string RoleArn { get; init; }
    public required string AssumedRoleArn { get; init; }
    public required string AccessKeyId { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required int DurationSeconds { get; init; }
    public required string StsRegion { get; init; }
    public required string PolicySha256 { get; init; }
    public int? PackedPolicySize { get; init; }
    public string? SourceIp { get; init; }
    public string? UserAgent { get; init; }
    public string? RequestId { get; init; }

    /// <summary>
    /// The STS session name when it is not the lease id: a saml lease's, which the identity provider's RoleSessionName
    /// attribute chose (docs/api.md "Leases"); null otherwise.
    /// </summary>
    public string? SessionName { get; init; }

    /// <summary>Set once a revocation denied this lease's session (docs/api.md, "Revocation").</summary>
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevocationId { get; init; }
}
