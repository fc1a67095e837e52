using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace CredentialVending.Limits;

/// <summary>
/// A per-tenant limit of requests a minute: conditional counters a tenant and minute, in the leases table under the
/// partition <c>_rate#TENANT</c> (tenant ids cannot start with '_', so it never meets a tenant's leases).
/// A conditional update, not a transaction: dynalite has none, and one atomic ADD is all a fixed window needs.
/// <para>
/// One DynamoDB item takes about 1,000 writes a second, and refused requests write too, so a large limit is spread over
/// <see cref="ShardsFor"/> items (<c>_rate#TENANT#k</c>, each its own partition key), each allowing its share of the
/// minute; a request counts on one of them, taken in turn. A limit of up to <see cref="PerItemPerMinute"/> keeps one
/// item, <c>_rate#TENANT</c>, so a small tenant still costs one write. The arithmetic is in docs/decisions.md.
/// </para>
/// </summary>
public sealed class RateLimiter
{
    /// <summary>The most one counter item allows in a minute: 167 writes a second at the limit, a sixth of an item's 1,000.</summary>
    public const int PerItemPerMinute = 10_000;

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly int _perItemPerMinute;

    // Where this instance's turn among a tenant's items starts: a random place, so instances do not all press on item 0.
    private int _turn = Random.Shared.Next();

    /// <param name="perItemPerMinute">The most one item allows in a minute: <see cref="PerItemPerMinute"/> but in tests, which
    /// show the spread with a few requests instead of tens of thousands.</param>
    public RateLimiter(IAmazonDynamoDB dynamo, string table, int perItemPerMinute = PerItemPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perItemPerMinute, 1);
        _dynamo = dynamo;
        _table = table;
        _perItemPerMinute = perItemPerMinute;
    }

    /// <summary>How many counter items a limit of <paramref name="requestsPerMinute"/> is spread over.</summary>
    public static int ShardsFor(int requestsPerMinute, int perItemPerMinute = PerItemPerMinute) =>
        Math.Max(1, (int)(((long)requestsPerMinute + perItemPerMinute - 1) / perItemPerMinute));

    /// <summary>Counts one request; answers null when it is allowed, or how long to wait when the minute is full.</summary>
    public async Task<TimeSpan?> TryAcquireAsync(string tenantId, int requestsPerMinute, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var minute = now.ToUnixTimeSeconds() / 60;
        var shards = ShardsFor(requestsPerMinute, _perItemPerMinute);
        var shard = shards == 1 ? 0 : (int)((uint)Interlocked.Increment(ref _turn) % (uint)shards);
        // The shares add up to the limit exactly: the first (limit mod shards) items allow one more.
        var share = (requestsPerMinute / shards) + (shard < requestsPerMinute % shards ? 1 : 0);
        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = new Dictionary<string, AttributeValue>
                {
                    ["tenantId"] = new() { S = shard == 0 ? "_rate#" + tenantId : "_rate#" + tenantId + "#" + shard.ToString(CultureInfo.InvariantCulture) },
                    ["leaseId"] = new() { S = minute.ToString(CultureInfo.InvariantCulture) },
                },
                UpdateExpression = "ADD #count :one SET #ttl = :ttl",
                ConditionExpression = "attribute_not_exists(#count) OR #count < :limit",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#count"] = "count", ["#ttl"] = "ttl" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":one"] = new() { N = "1" },
                    [":limit"] = new() { N = share.ToString(CultureInfo.InvariantCulture) },
                    [":ttl"] = new() { N = ((minute + 2) * 60).ToString(CultureInfo.InvariantCulture) },
                },
            }, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ConditionalCheckFailedException)
        {
            return TimeSpan.FromSeconds(((minute + 1) * 60) - now.ToUnixTimeSeconds());
        }
    }
}
