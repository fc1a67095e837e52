using System.Text.Json.Serialization;
using CredentialVending.Common;
using CredentialVending.Leases;

namespace CredentialVending.Functions.Http;

/// <summary>
/// A lease as docs/api.md's "Leases" lists its fields, every one always present (null when the ledger has no value), so
/// a reader's schema never depends on which request made the lease.
/// </summary>
public sealed record LeaseView(
    string LeaseId,
    string TenantId,
    string Subject,
    string Issuer,
    IReadOnlyList<string> Scopes,
    string Mode,
    string RoleArn,
    string AssumedRoleArn,
    string AccessKeyId,
    string IssuedAt,
    string ExpiresAt,
    int DurationSeconds,
    string StsRegion,
    string PolicySha256,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? PackedPolicySize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? SourceIp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? UserAgent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RequestId,
    string? RevokedAt = null,
    string? RevocationId = null,
    string? SessionName = null)
{
    public static LeaseView From(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new(
            lease.LeaseId, lease.TenantId, lease.Subject, lease.Issuer, lease.Scopes, lease.Mode, lease.RoleArn,
            lease.AssumedRoleArn, lease.AccessKeyId, Iso8601.Format(lease.IssuedAt), Iso8601.Format(lease.ExpiresAt),
            lease.DurationSeconds, lease.StsRegion, lease.PolicySha256, lease.PackedPolicySize, lease.SourceIp,
            lease.UserAgent, lease.RequestId, lease.RevokedAt is { } revokedAt ? Iso8601.Format(revokedAt) : null, lease.RevocationId, lease.SessionName);
    }
}

/// <summary>A page of leases; <c>nextCursor</c> is null on the last page, and always present.</summary>
public sealed record LeasePageView(
    IReadOnlyList<LeaseView> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
