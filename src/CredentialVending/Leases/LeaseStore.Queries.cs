using Amazon.DynamoDBv2.Model;

namespace CredentialVending.Leases;

/// <summary>
/// The ledger's reads for operators, each served by the table's key or one of its indexes, never a Scan: a tenant's
/// leases by (tenantId, leaseId); by subject through bySubject; by access key through byAccessKey.
/// </summary>
public sealed partial class LeaseStore
{
    // An access key names one session, so its index entry holds one lease in practice; this bounds a hostile case.
    private const int MaxAccessKeyPages = 10;

    // A SAML session is found by a filter over the tenant's partition, newest first: this many pages (DynamoDB reads
    // at most 1 MB a page, some 1,500 leases) bound what one decode costs, so an older session goes unnamed.
    private const int MaxSessionPages = 4;

    /// <summary>A page of one tenant's leases, newest first.</summary>
    public async Task<LeasePage> QueryAsync(LeaseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.AccessKeyId is not null)
        {
            return await QueryByAccessKeyAsync(query, cancellationToken).ConfigureAwait(false);
        }

        var values = new Dictionary<string, AttributeValue> { [":lo"] = S(query.LowestId), [":hi"] = S(query.HighestId) };
        var request = new QueryRequest
        {
            TableName = _table,
            ScanIndexForward = false,
            ExpressionAttributeValues = values,
        };
        if (query.RevokedOnly)
        {
            request.FilterExpression = "attribute_exists(revokedAt)";
        }

        if (query.Subject is null)
        {
            // The partition is the tenant's own: the _rate#tenant counters live under another partition key.
            request.KeyConditionExpression = "tenantId = :t AND leaseId BETWEEN :lo AND :hi";
            values[":t"] = S(query.TenantId);
            request.ConsistentRead = true;
            if (query.After is not null)
            {
                request.ExclusiveStartKey = new() { ["tenantId"] = S(query.TenantId), ["leaseId"] = S(query.After) };
            }
        }
        else
        {
            var tenantSubject = LeaseKeys.TenantSubject(query.TenantId, query.Subject);
            request.IndexName = BySubject;
            request.KeyConditionExpression = "tenantSubject = :ts AND leaseId BETWEEN :lo AND :hi";
            values[":ts"] = S(tenantSubject);
            if (query.After is not null)
            {
                // An index's start key holds the index key and the table key.
                request.ExclusiveStartKey = new()
                {
                    ["tenantSubject"] = S(tenantSubject), ["leaseId"] = S(query.After), ["tenantId"] = S(query.TenantId),
                };
            }
        }

        // One more than the page, so "more follow" is known now rather than by an empty page later.
        var items = new List<Lease>(query.Limit + 1);
        do
        {
            request.Limit = query.Limit + 1 - items.Count;
            var answer = await _dynamo.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            items.AddRange((answer.Items ?? []).Select(FromItem));
            request.ExclusiveStartKey = answer.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (items.Count <= query.Limit && request.ExclusiveStartKey is not null);

        return Page(items, query.Limit);
    }

    /// <summary>
    /// The newest of a tenant's leases whose session is <paramref name="assumedRoleArn"/>, read from the newest
    /// <see cref="MaxSessionPages"/> pages of its partition; null beyond. A SAML session is named by its identity
    /// provider, not after its lease, so only its ARN leads back, and too rarely (a decode) for an index of its own.
    /// </summary>
    public async Task<Lease?> FindBySessionAsync(string tenantId, string assumedRoleArn, CancellationToken cancellationToken)
    {
        var all = new LeaseQuery { TenantId = tenantId, Limit = 1 };
        var request = new QueryRequest
        {
            TableName = _table,
            ScanIndexForward = false,
            ConsistentRead = true,
            KeyConditionExpression = "tenantId = :t AND leaseId BETWEEN :lo AND :hi",
            FilterExpression = "assumedRoleArn = :a",
            ExpressionAttributeValues = new()
            {
                [":t"] = S(tenantId), [":lo"] = S(all.LowestId), [":hi"] = S(all.HighestId), [":a"] = S(assumedRoleArn),
            },
        };
        for (var page = 0; page < MaxSessionPages; page++)
        {
            var answer = await _dynamo.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            if (answer.Items is { Count: > 0 } items)
            {
                return FromItem(items[0]);
            }

            if (answer.LastEvaluatedKey is not { Count: > 0 } last)
            {
                break;
            }

            request.ExclusiveStartKey = last;
        }

        return null;
    }

    /// <summary>Every lease of an access key, whatever its tenant, newest first: for incident response.</summary>
    public async Task<IReadOnlyList<Lease>> FindByAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        var items = await ReadAccessKeyAsync(accessKeyId, null, cancellationToken).ConfigureAwait(false);
        return [.. items.OrderByDescending(l => l.LeaseId, StringComparer.Ordinal)];
    }

    private async Task<LeasePage> QueryByAccessKeyAsync(LeaseQuery query, CancellationToken cancellationToken)
    {
        var filter = new Dictionary<string, AttributeValue>
        {
            [":t"] = S(query.TenantId), [":lo"] = S(query.LowestId), [":hi"] = S(query.HighestId),
        };
        var expression = "tenantId = :t AND leaseId BETWEEN :lo AND :hi" + (query.RevokedOnly ? " AND attribute_exists(revokedAt)" : string.Empty);
        if (query.Subject is not null)
        {
            expression += " AND #subject = :s";
            filter[":s"] = S(query.Subject);
        }

        var items = await ReadAccessKeyAsync(query.AccessKeyId!, (expression, filter), cancellationToken).ConfigureAwait(false);
        var newestFirst = items
            .Where(l => query.After is null || string.CompareOrdinal(l.LeaseId, query.After) < 0)
            .OrderByDescending(l => l.LeaseId, StringComparer.Ordinal)
            .Take(query.Limit + 1)
            .ToList();
        return Page(newestFirst, query.Limit);
    }

    private async Task<List<Lease>> ReadAccessKeyAsync(string accessKeyId, (string Expression, Dictionary<string, AttributeValue> Values)? filter, CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = _table,
            IndexName = ByAccessKey,
            KeyConditionExpression = "accessKeyId = :k",
            ExpressionAttributeValues = new() { [":k"] = S(accessKeyId) },
        };
        if (filter is { } f)
        {
            // Other tenants' entries (there should be none) are dropped by DynamoDB, before they reach this function.
            request.FilterExpression = f.Expression;
            request.ExpressionAttributeNames = f.Expression.Contains("#subject", StringComparison.Ordinal) ? new() { ["#subject"] = "subject" } : null;
            foreach (var (name, value) in f.Values)
            {
                request.ExpressionAttributeValues[name] = value;
            }
        }

        var items = new List<Lease>();
        for (var page = 0; page < MaxAccessKeyPages; page++)
        {
            var answer = await _dynamo.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            items.AddRange((answer.Items ?? []).Select(FromItem));
            if (answer.LastEvaluatedKey is not { Count: > 0 } last)
            {
                break;
            }

            request.ExclusiveStartKey = last;
        }

        return items;
    }

    private static LeasePage Page(List<Lease> newestFirst, int limit) => newestFirst.Count > limit
        ? new LeasePage(newestFirst[..limit], newestFirst[limit - 1].LeaseId)
        : new LeasePage(newestFirst, null);
}
