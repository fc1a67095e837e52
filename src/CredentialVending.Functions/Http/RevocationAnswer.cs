using System.Text.Json.Serialization;
using CredentialVending.Common;
using CredentialVending.Revocation;

namespace CredentialVending.Functions.Http;

/// <summary>What a revocation aimed at, as the admin body names it: one of <c>leaseId</c>, <c>subject</c>, <c>all</c>.</summary>
public sealed record RevocationTargetView(string? LeaseId, string? Subject, bool? All)
{
    public static RevocationTargetView From(RevocationTarget target) =>
        new(target?.LeaseId, target?.Subject, target?.Kind == RevocationKind.Tenant ? true : null);
}

/// <summary>
/// The 202 answer of docs/api.md's "Revocation". <c>merged</c> is true when the role's policy was full and its
/// single-lease entries became one deny of every session issued before <c>notBefore</c>.
/// </summary>
public sealed record RevocationView(
    string RevocationId,
    RevocationTargetView Target,
    string NotBefore,
    string ExpiresAt,
    string Propagation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool Merged,
    int LeasesRevoked,
    string? Detail)
{
    public const string PropagationNote = "IAM applies policy changes within a few minutes";

    public static RevocationView From(RevocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            record.RevocationId, RevocationTargetView.From(record.Target), Iso8601.Format(record.NotBefore), Iso8601.Format(record.ExpiresAt),
            PropagationNote, record.Merged, record.LeasesRevoked,
            record.Merged
                ? $"The role's revocation policy would pass IAM's {RevocationPolicy.MaxCharacters}-character limit, so its single-lease entries were merged into one deny of every session of the role issued before {Iso8601.Format(record.NotBefore)}."
                : null);
    }
}

/// <summary>A revocation as GET /admin/tenants/{tenantId}/revocations lists it.</summary>
public sealed record RevocationRecordView(
    string RevocationId,
    RevocationTargetView Target,
    string RoleArn,
    string NotBefore,
    string ExpiresAt,
    string RevokedAt,
    string RevokedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason,
    bool Merged,
    int LeasesRevoked)
{
    public static RevocationRecordView From(RevocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            record.RevocationId, RevocationTargetView.From(record.Target), record.RoleArn, Iso8601.Format(record.NotBefore),
            Iso8601.Format(record.ExpiresAt), Iso8601.Format(record.RevokedAt), record.RevokedBy, record.Reason, record.Merged, record.LeasesRevoked);
    }
}

public sealed record RevocationPageView(
    IReadOnlyList<RevocationRecordView> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
