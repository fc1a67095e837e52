using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace CredentialVending.Limits;

/// <summary>
/// A per-tenant limit of requests a minute: one conditional counter a tenant and minute, in the leases table under
/// the partition <c>_rate#TENANT</c> (tenant ids cannot start with '_', so it never meets a tenant's leases).
/// A conditional update, not a transaction: dynalite has none, and one atomic ADD is all a fixed window needs.
/// </summary>
public sealed class RateLimiter
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public RateLimiter(IAmazonDynamoDB dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    /// <summary>Counts one request; answers null when it is allowed, or how long to wait when the minute is full.</summary>
    public async Task<TimeSpan?> TryAcquireAsync(string tenantId, int requestsPerMinute, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var minute = now.ToUnixTimeSeconds() / 60;
        try
        {
            await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = new Dictionary<string, AttributeValue>
                {
                    ["tenantId"] = new() { S = "_rate#" + tenantId },
                    ["leaseId"] = new() { S = minute.ToString(CultureInfo.InvariantCulture) },
                },
                UpdateExpression = "ADD #count :one SET #ttl = :ttl",
                ConditionExpression = "attribute_not_exists(#count) OR #count < :limit",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#count"] = "count", ["#ttl"] = "ttl" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":one"] = new() { N = "1" },
                    [":limit"] = new() { N = requestsPerMinute.ToString(CultureInfo.InvariantCulture) },
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
