using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CredentialVending.Common;

namespace CredentialVending.Revocation;

/// <summary>What a role's revocation policy must hold, and the version it is at (+1 on every write).</summary>
public sealed record RevocationState(long Version, IReadOnlyList<RevocationEntry> Entries)
{
    public static readonly RevocationState None = new(0, []);
}

/// <summary>
/// The entries of each tenant role's revocation policy, in the leases table under the partition
/// <c>_revocations#TENANT</c> with the role's ARN as sort key (tenant ids cannot start with '_', so it never meets a
/// tenant's leases or revocation records, and a tenant that changes roles keeps the old role's entries apart). Writes
/// are conditional on the version read: the item, not IAM, is what concurrent revocations agree on, since IAM has no
/// conditional write; the policy is then made to match the item (<see cref="PolicySync"/>).
/// </summary>
public sealed class RevocationStateStore
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public RevocationStateStore(IAmazonDynamoDB dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    public async Task<RevocationState> GetAsync(string tenantId, string roleArn, CancellationToken cancellationToken)
    {
        var answer = await DynamoFailures.GuardAsync(() => _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = Key(tenantId, roleArn),
            ConsistentRead = true,
        }, cancellationToken)).ConfigureAwait(false);
        return answer.Item is { Count: > 0 } item ? Read(item) : RevocationState.None;
    }

    /// <summary>Writes <paramref name="entries"/> as the version after <paramref name="read"/>; false when another writer came first.</summary>
    public async Task<RevocationState?> TryPutAsync(string tenantId, string roleArn, RevocationState read, IReadOnlyList<RevocationEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var next = new RevocationState(read.Version + 1, entries);
        var item = Key(tenantId, roleArn);
        item["version"] = new() { N = next.Version.ToString(CultureInfo.InvariantCulture) };
        item["entries"] = new() { L = [.. entries.Select(ToMap)] };
        var request = new PutItemRequest
        {
            TableName = _table,
            Item = item,
            ConditionExpression = read.Version == 0 ? "attribute_not_exists(leaseId)" : "#version = :version",
        };
        if (read.Version != 0)
        {
            request.ExpressionAttributeNames = new() { ["#version"] = "version" };
            request.ExpressionAttributeValues = new() { [":version"] = new() { N = read.Version.ToString(CultureInfo.InvariantCulture) } };
        }

        try
        {
            await DynamoFailures.GuardAsync(() => _dynamo.PutItemAsync(request, cancellationToken)).ConfigureAwait(false);
            return next;
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    private static Dictionary<string, AttributeValue> Key(string tenantId, string roleArn) => new()
    {
        ["tenantId"] = new() { S = "_revocations#" + tenantId },
        ["leaseId"] = new() { S = roleArn },
    };

    private static AttributeValue ToMap(RevocationEntry entry)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            ["kind"] = new() { S = entry.Kind.ToString() },
            ["revocationId"] = new() { S = entry.RevocationId },
            ["notBefore"] = new() { N = entry.NotBefore.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
            ["expiresAt"] = new() { N = entry.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
        };
        if (entry.Key is not null)
        {
            map["key"] = new() { S = entry.Key };
        }

        if (entry.Value is not null)
        {
            map["value"] = new() { S = entry.Value };
        }

        return new AttributeValue { M = map };
    }

    private static RevocationState Read(Dictionary<string, AttributeValue> item)
    {
        try
        {
            var entries = (item.TryGetValue("entries", out var list) ? list.L ?? [] : []).Select(v => v.M ?? throw new FormatException("An entry is not a map.")).Select(m => new RevocationEntry(
                Enum.Parse<RevocationKind>(m["kind"].S),
                m["revocationId"].S,
                DateTimeOffset.FromUnixTimeSeconds(long.Parse(m["notBefore"].N, CultureInfo.InvariantCulture)),
                DateTimeOffset.FromUnixTimeSeconds(long.Parse(m["expiresAt"].N, CultureInfo.InvariantCulture)),
                m.TryGetValue("key", out var key) ? key.S : null,
                m.TryGetValue("value", out var value) ? value.S : null));
            return new RevocationState(long.Parse(item["version"].N, CultureInfo.InvariantCulture), [.. entries]);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            throw new DependencyUnavailableException("The ledger answered a revocation state it cannot read; try again shortly.", DynamoFailures.RetryAfter, e);
        }
    }
}
