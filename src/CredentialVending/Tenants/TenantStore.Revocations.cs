using System.Globalization;
using Amazon.DynamoDBv2.Model;
using CredentialVending.Common;
using CredentialVending.Revocation;

namespace CredentialVending.Tenants;

/// <summary>
/// The token cutoffs of revoked subjects, as the attributes <c>revokedSubjects</c> (subject to <c>{n, u}</c>: not
/// before, until; epoch seconds) and <c>revokedAll</c> of the tenant's item, which PUT updates around and so keeps.
/// They have a version of their own (<c>revocationsVersion</c>): a revocation is no change of the document, whose
/// version and ETag stay as they were.
/// </summary>
public sealed partial class TenantStore
{
    /// <summary>
    /// Adds a cutoff for <paramref name="subject"/> (every subject when null). <c>Found</c> is false when the tenant has no
    /// item; <c>Merged</c> says the subjects' cutoffs became one for the whole tenant (<see cref="TokenRevocations.MaxSubjectBytes"/>).
    /// </summary>
    public async Task<(bool Found, bool Merged)> RevokeTokensAsync(string tenantId, string? subject, TokenCutoff cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var answer = await DynamoFailures.GuardAsync(() => _dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = _table,
                Key = new Dictionary<string, AttributeValue> { ["tenantId"] = new() { S = tenantId } },
                ProjectionExpression = "tenantId, revokedSubjects, revokedAll, revocationsVersion",
                ConsistentRead = true,
            }, cancellationToken)).ConfigureAwait(false);
            if (answer.Item is not { Count: > 0 } item)
            {
                return (false, false);
            }

            var version = item.TryGetValue("revocationsVersion", out var v) ? long.Parse(v.N, CultureInfo.InvariantCulture) : 0;
            var next = ReadRevocations(item).With(subject, cutoff, now);
            var values = new Dictionary<string, AttributeValue>
            {
                [":subjects"] = new() { M = next.Subjects.ToDictionary(s => s.Key, s => Cutoff(s.Value)), IsMSet = true },
                [":next"] = new() { N = (version + 1).ToString(CultureInfo.InvariantCulture) },
            };
            var update = "SET revokedSubjects = :subjects, revocationsVersion = :next";
            if (next.All is { } all)
            {
                update += ", revokedAll = :all";
                values[":all"] = Cutoff(all);
            }

            var condition = "attribute_exists(tenantId) AND ";
            if (version == 0)
            {
                condition += "attribute_not_exists(revocationsVersion)";
            }
            else
            {
                condition += "revocationsVersion = :version";
                values[":version"] = new() { N = version.ToString(CultureInfo.InvariantCulture) };
            }

            try
            {
                await DynamoFailures.GuardAsync(() => _dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = _table,
                    Key = new Dictionary<string, AttributeValue> { ["tenantId"] = new() { S = tenantId } },
                    UpdateExpression = update,
                    ConditionExpression = condition,
                    ExpressionAttributeValues = values,
                }, cancellationToken)).ConfigureAwait(false);
                return (true, subject is not null && next.Subjects.Count == 0);
            }
            catch (ConditionalCheckFailedException)
            {
            }
        }

        throw new DependencyUnavailableException("Too many revocations of this tenant at once; try again shortly.", DynamoFailures.RetryAfter);
    }

    internal static TokenRevocations ReadRevocations(Dictionary<string, AttributeValue> item)
    {
        var subjects = item.TryGetValue("revokedSubjects", out var map) && map.M is { } m
            ? m.Where(s => s.Value.M is not null).ToDictionary(s => s.Key, s => ReadCutoff(s.Value), StringComparer.Ordinal)
            : [];
        var all = item.TryGetValue("revokedAll", out var a) && a.M is not null ? ReadCutoff(a) : null;
        return subjects.Count == 0 && all is null ? TokenRevocations.None : new TokenRevocations(subjects, all);
    }

    private static AttributeValue Cutoff(TokenCutoff cutoff) => new()
    {
        M = new Dictionary<string, AttributeValue>
        {
            ["n"] = new() { N = cutoff.NotBefore.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
            ["u"] = new() { N = cutoff.Until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
        },
    };

    private static TokenCutoff ReadCutoff(AttributeValue value) => new(
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(value.M["n"].N, CultureInfo.InvariantCulture)),
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(value.M["u"].N, CultureInfo.InvariantCulture)));
}
