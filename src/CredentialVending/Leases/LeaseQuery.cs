namespace CredentialVending.Leases;

/// <summary>
/// One page of a tenant's leases, newest first. <see cref="Since"/> and <see cref="Until"/> bound the issue time (both
/// inclusive); <see cref="After"/> is the last lease id of the page before (exclusive).
/// </summary>
public sealed record LeaseQuery
{
    public required string TenantId { get; init; }
    public string? Subject { get; init; }
    public string? AccessKeyId { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public required int Limit { get; init; }
    public string? After { get; init; }

    /// <summary>True: only the leases a revocation denied.</summary>
    public bool RevokedOnly { get; init; }

    /// <summary>The smallest lease id the query can answer: a ULID's first 48 bits are its time.</summary>
    internal string LowestId => Ulid.MinAt(Since ?? DateTimeOffset.UnixEpoch);

    /// <summary>The largest: the last ULID of <see cref="Until"/>'s millisecond, or the last ULID there is.</summary>
    internal string HighestId => Until is { } until ? Ulid.MaxAt(until) : "7ZZZZZZZZZZZZZZZZZZZZZZZZZ";
}

/// <summary>A page of leases; <see cref="LastLeaseId"/> is set when more follow, and is where the next page starts.</summary>
public sealed record LeasePage(IReadOnlyList<Lease> Items, string? LastLeaseId);
