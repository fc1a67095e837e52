using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CredentialVending.Common;
using CredentialVending.Leases;

namespace CredentialVending.Revocation;

/// <summary>
/// Revocations in the leases table: one item a revocation in the tenant's own partition, sort key
/// <c>revocation#ULID</c> (after every lease id, which is a bare ULID, so lease queries never meet one), and
/// <c>revokedAt</c> and <c>revocationId</c> on each lease it revoked (the first revocation of a lease stays on it).
/// </summary>
public sealed class RevocationLedger
{
    public const string Prefix = "revocation#";

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TimeSpan _retention;

    public RevocationLedger(IAmazonDynamoDB dynamo, string table, TimeSpan retention)
    {
        _dynamo = dynamo;
        _table = table;
        _retention = retention;
    }

    public async Task RecordAsync(RevocationRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var item = new Dictionary<string, AttributeValue>
        {
            ["tenantId"] = S(record.TenantId),
            ["leaseId"] = S(Prefix + record.RevocationId),
            ["revocationId"] = S(record.RevocationId),
            ["kind"] = S(record.Target.Kind.ToString()),
            ["roleArn"] = S(record.RoleArn),
            ["notBefore"] = S(Iso8601.Format(record.NotBefore)),
            ["expiresAt"] = S(Iso8601.Format(record.ExpiresAt)),
            ["revokedAt"] = S(Iso8601.Format(record.RevokedAt)),
            ["revokedBy"] = S(record.RevokedBy),
            ["merged"] = new() { BOOL = record.Merged },
            ["leasesRevoked"] = N(record.LeasesRevoked),
            ["leasesIncomplete"] = new() { BOOL = record.LeasesIncomplete },
            ["ttl"] = N(record.ExpiresAt.Add(_retention).ToUnixTimeSeconds()),
        };
        Optional(item, "targetLeaseId", record.Target.LeaseId);
        Optional(item, "subject", record.Target.Subject);
        Optional(item, "reason", record.Reason);
        await DynamoFailures.GuardAsync(() => _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = _table,
            Item = item,
            ConditionExpression = "attribute_not_exists(leaseId)",
        }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Marks the lease revoked, unless a revocation already did; a lease that is not in the ledger is left alone.</summary>
    public async Task MarkLeaseAsync(string tenantId, string leaseId, string revocationId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        try
        {
            await DynamoFailures.GuardAsync(() => _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = new() { ["tenantId"] = S(tenantId), ["leaseId"] = S(leaseId) },
                UpdateExpression = "SET revokedAt = if_not_exists(revokedAt, :at), revocationId = if_not_exists(revocationId, :id)",
                ConditionExpression = "attribute_exists(leaseId)",
                ExpressionAttributeValues = new() { [":at"] = S(Iso8601.Format(revokedAt)), [":id"] = S(revocationId) },
            }, cancellationToken)).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
        }
    }

    /// <summary>A page of the tenant's revocations, newest first; the cursor is the last revocation id of the page before.</summary>
    public async Task<(IReadOnlyList<RevocationRecord> Items, string? Next)> ListAsync(string tenantId, int limit, string? after, CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = _table,
            KeyConditionExpression = "tenantId = :t AND begins_with(leaseId, :p)",
            ExpressionAttributeValues = new() { [":t"] = S(tenantId), [":p"] = S(Prefix) },
            ScanIndexForward = false,
            ConsistentRead = true,
            Limit = limit + 1,
        };
        if (after is not null)
        {
            request.ExclusiveStartKey = new() { ["tenantId"] = S(tenantId), ["leaseId"] = S(Prefix + after) };
        }

        var answer = await DynamoFailures.GuardAsync(() => _dynamo.QueryAsync(request, cancellationToken)).ConfigureAwait(false);
        var items = (answer.Items ?? []).Select(Read).ToList();
        return items.Count > limit ? (items[..limit], items[limit - 1].RevocationId) : (items, null);
    }

    private static RevocationRecord Read(Dictionary<string, AttributeValue> item)
    {
        try
        {
            var kind = Enum.Parse<RevocationKind>(item["kind"].S);
            return new RevocationRecord
            {
                RevocationId = item["revocationId"].S,
                TenantId = item["tenantId"].S,
                Target = new RevocationTarget(kind, Str(item, "targetLeaseId"), Str(item, "subject")),
                RoleArn = item["roleArn"].S,
                NotBefore = DateTimeOffset.Parse(item["notBefore"].S, CultureInfo.InvariantCulture),
                ExpiresAt = DateTimeOffset.Parse(item["expiresAt"].S, CultureInfo.InvariantCulture),
                RevokedAt = DateTimeOffset.Parse(item["revokedAt"].S, CultureInfo.InvariantCulture),
                RevokedBy = item["revokedBy"].S,
                Reason = Str(item, "reason"),
                Merged = item.TryGetValue("merged", out var merged) && merged.BOOL == true,
                LeasesRevoked = item.TryGetValue("leasesRevoked", out var count) && count.N is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 0,
                LeasesIncomplete = item.TryGetValue("leasesIncomplete", out var incomplete) && incomplete.BOOL == true,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            throw new DependencyUnavailableException("The ledger answered a revocation it cannot read; try again shortly.", DynamoFailures.RetryAfter, e);
        }
    }

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string? Str(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var value) ? value.S : null;

    private static void Optional(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            item[name] = S(value);
        }
    }
}
