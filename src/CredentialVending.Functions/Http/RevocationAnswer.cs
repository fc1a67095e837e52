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
/// single-lease entries became one deny of every session issued before <c>notBefore</c>; <c>leasesIncomplete</c>
/// (only when true) that the leases' marks stopped at their time budget, more of them denied but left unmarked.
/// </summary>
public sealed record RevocationView(
    string RevocationId,
    RevocationTargetView Target,
    string NotBefore,
    string ExpiresAt,
    string Propagation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool Merged,
    int LeasesRevoked,
    bool? LeasesIncomplete,
    string? Detail)
{
    public const string PropagationNote = "IAM applies policy changes within a few minutes";

    public static RevocationView From(RevocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            record.RevocationId, RevocationTargetView.From(record.Target), Iso8601.Format(record.NotBefore), Iso8601.Format(record.ExpiresAt),
            PropagationNote, record.Merged, record.LeasesRevoked, record.LeasesIncomplete ? true : null, DetailOf(record));
    }

    private static string? DetailOf(RevocationRecord record)
    {
        var merged = record.Merged
            ? $"The role's revocation policy would pass IAM's {RevocationPolicy.MaxCharacters}-character limit, so its single-lease entries were merged into one deny of every session of the role issued before {Iso8601.Format(record.NotBefore)}."
            : null;
        var incomplete = record.LeasesIncomplete
            ? $"The deny covers every session it names; {record.LeasesRevoked} live leases were marked revoked before the marking's time ran out, and the rest stay unmarked in the ledger."
            : null;
        return merged is null || incomplete is null ? merged ?? incomplete : merged + " " + incomplete;
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
    int LeasesRevoked,
    bool? LeasesIncomplete)
{
    public static RevocationRecordView From(RevocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            record.RevocationId, RevocationTargetView.From(record.Target), record.RoleArn, Iso8601.Format(record.NotBefore),
            Iso8601.Format(record.ExpiresAt), Iso8601.Format(record.RevokedAt), record.RevokedBy, record.Reason, record.Merged, record.LeasesRevoked,
            record.LeasesIncomplete ? true : null);
    }
}

public sealed record RevocationPageView(
    IReadOnlyList<RevocationRecordView> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
