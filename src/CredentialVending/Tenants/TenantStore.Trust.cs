using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace CredentialVending.Tenants;

/// <summary>A tenant's claim on a role, kept in the tenants table so two concurrent PUTs cannot both take one role.</summary>
public sealed record RoleClaim(string RoleKey, string TenantId, DateTimeOffset ClaimedAt);

/// <summary>A document a PUT is about to store, written before that PUT scans, so a concurrent PUT's scan sees it.</summary>
public sealed record PutIntent(string TenantId, string Json, DateTimeOffset At);

/// <summary>What one scan of the tenants table found: the tenants, the role claims and the PUTs under way.</summary>
public sealed record TrustScan(IReadOnlyList<StoredTenant> Tenants, IReadOnlyList<RoleClaim> Claims, IReadOnlyList<PutIntent> Intents);

public sealed partial class TenantStore
{
    // No tenant id starts with '_', so a claim never meets a tenant's item, GET or the listing.
    private const string ClaimPrefix = "_role#";
    private const string IntentPrefix = "_intent#";

    /// <summary>Every tenant, role claim and PUT intent, all pages of one consistent scan: what the one-trust rules compare against.</summary>
    public async Task<TrustScan> ScanAllAsync(CancellationToken cancellationToken)
    {
        var tenants = new List<StoredTenant>();
        var claims = new List<RoleClaim>();
        var intents = new List<PutIntent>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var answer = await _dynamo.ScanAsync(new ScanRequest { TableName = _table, ConsistentRead = true, ExclusiveStartKey = start }, cancellationToken).ConfigureAwait(false);
            foreach (var item in answer.Items ?? [])
            {
                if (IsTenant(item))
                {
                    tenants.Add(FromItem(item));
                }
                else if (ClaimFromItem(item) is { } claim)
                {
                    claims.Add(claim);
                }
                else if (IntentFromItem(item) is { } intent)
                {
                    intents.Add(intent);
                }
            }

            start = answer.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        return new TrustScan(tenants, claims, intents);
    }

    /// <summary>Records that <paramref name="tenantId"/> is about to be stored as <paramref name="json"/> (one intent a tenant, the latest).</summary>
    public async Task PutIntentAsync(string tenantId, string json, DateTimeOffset now, CancellationToken cancellationToken) =>
        await _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = _table,
            Item = new Dictionary<string, AttributeValue>
            {
                ["tenantId"] = new() { S = IntentPrefix + tenantId },
                ["intent"] = new() { S = json },
                ["at"] = new() { N = Seconds(now) },
            },
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Drops a refused PUT's intent, so it holds back no other tenant's PUT.</summary>
    public async Task DeleteIntentAsync(string tenantId, CancellationToken cancellationToken) =>
        await _dynamo.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = _table,
            Key = new Dictionary<string, AttributeValue> { ["tenantId"] = new() { S = IntentPrefix + tenantId } },
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Claims <paramref name="roleKey"/> for <paramref name="tenantId"/>: taken when nobody holds it, or this tenant does,
    /// or <paramref name="replacing"/> is still exactly the claim there. Answers null when claimed, else the claim that holds it
    /// (with an empty tenant id when it vanished between the refused write and the read: a retry may take it).
    /// </summary>
    public async Task<RoleClaim?> ClaimRoleAsync(string roleKey, string tenantId, DateTimeOffset now, RoleClaim? replacing, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>();
        string condition;
        if (replacing is null)
        {
            condition = "attribute_not_exists(tenantId) OR #owner = :tenant";
            values[":tenant"] = new() { S = tenantId };
        }
        else
        {
            condition = "#owner = :old AND #claimedAt = :oldAt";
            values[":old"] = new() { S = replacing.TenantId };
            values[":oldAt"] = new() { N = Seconds(replacing.ClaimedAt) };
        }

        try
        {
            await _dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = new Dictionary<string, AttributeValue>
                {
                    ["tenantId"] = new() { S = ClaimPrefix + roleKey },
                    ["owner"] = new() { S = tenantId },
                    ["claimedAt"] = new() { N = Seconds(now) },
                },
                ConditionExpression = condition,
                ExpressionAttributeNames = replacing is null
                    ? new Dictionary<string, string> { ["#owner"] = "owner" }
                    : new Dictionary<string, string> { ["#owner"] = "owner", ["#claimedAt"] = "claimedAt" },
                ExpressionAttributeValues = values,
            }, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ConditionalCheckFailedException)
        {
            var answer = await _dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = _table,
                Key = ClaimKey(roleKey),
                ConsistentRead = true,
            }, cancellationToken).ConfigureAwait(false);

            return answer.Item is { Count: > 0 } item ? ClaimFromItem(item) : new RoleClaim(roleKey, string.Empty, now);
        }
    }

    /// <summary>Drops the tenant's claim on a role, if it still holds it.</summary>
    public async Task ReleaseRoleAsync(string roleKey, string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = _table,
                Key = ClaimKey(roleKey),
                ConditionExpression = "#owner = :tenant",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#owner"] = "owner" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":tenant"] = new() { S = tenantId } },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another tenant holds it now (or nobody does): nothing of this tenant's to drop.
        }
    }

    private static Dictionary<string, AttributeValue> ClaimKey(string roleKey) => new() { ["tenantId"] = new() { S = ClaimPrefix + roleKey } };

    private static string Seconds(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static PutIntent? IntentFromItem(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue("tenantId", out var id) && id.S is { } key && key.StartsWith(IntentPrefix, StringComparison.Ordinal)
        && item.TryGetValue("intent", out var json) && json.S is not null
        && item.TryGetValue("at", out var at) && long.TryParse(at.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? new PutIntent(key[IntentPrefix.Length..], json.S, DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;

    private static RoleClaim? ClaimFromItem(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue("tenantId", out var id) && id.S is { } key && key.StartsWith(ClaimPrefix, StringComparison.Ordinal)
        && item.TryGetValue("owner", out var owner) && owner.S is not null
        && item.TryGetValue("claimedAt", out var at) && long.TryParse(at.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? new RoleClaim(key[ClaimPrefix.Length..], owner.S, DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;
}
