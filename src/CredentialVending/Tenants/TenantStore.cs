using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace CredentialVending.Tenants;

/// <summary>A tenant as stored: its canonical JSON, its version (+1 on every change) and the ETag derived from both.</summary>
public sealed record StoredTenant(string TenantId, string Json, long Version)
{
    public string ETag { get; } = $"\"{Version}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Json)))[..16]}\"";

    /// <summary>The subjects whose older tokens are refused (docs/api.md, "Revocation"): kept beside the document, not in it.</summary>
    public Revocation.TokenRevocations Revoked { get; init; } = Revocation.TokenRevocations.None;
}

public enum PutResult
{
    Created,
    Updated,
    Unchanged,
    PreconditionFailed,
}

/// <summary>
/// The tenants table: one item a tenant, key <c>tenantId</c>, with the document's canonical JSON in <c>document</c>
/// and its <c>version</c>. Writes are conditional on the version read, so two writers never lose each other's change.
/// The service's own items (role claims) have keys starting with '_', which no tenant id can take: GET and the listing
/// never answer them.
/// </summary>
public sealed partial class TenantStore
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public TenantStore(IAmazonDynamoDB dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    public async Task<StoredTenant?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        // No tenant can have an id PUT refuses; asking DynamoDB anyway fails (500) on ids too long for a key, or empty.
        if (tenantId is null || !TenantPatterns.TenantId().IsMatch(tenantId))
        {
            return null;
        }

        var answer = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new Dictionary<string, AttributeValue> { ["tenantId"] = new() { S = tenantId } },
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return answer.Item is { Count: > 0 } item ? FromItem(item) : null;
    }

    /// <summary>
    /// Stores <paramref name="json"/> (a validated document's canonical JSON). <paramref name="ifMatch"/>, when given,
    /// must be the current ETag ("*" for any existing one). The same document twice leaves one version.
    /// </summary>
    public async Task<(PutResult Result, StoredTenant? Stored)> PutAsync(string tenantId, string json, string? ifMatch, CancellationToken cancellationToken)
    {
        // Without If-Match, a concurrent writer is retried over; with it, the caller asked to lose rather than overwrite.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var current = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
            if (ifMatch is not null && !Matches(ifMatch, current))
            {
                return (PutResult.PreconditionFailed, current);
            }

            if (current is not null && current.Json == json)
            {
                return (PutResult.Unchanged, current);
            }

            var next = new StoredTenant(tenantId, json, (current?.Version ?? 0) + 1);
            // An update, not a put: the item's other attributes (the revoked subjects) outlive a change of the document.
            var request = new UpdateItemRequest
            {
                TableName = _table,
                Key = new Dictionary<string, AttributeValue> { ["tenantId"] = new() { S = tenantId } },
                UpdateExpression = "SET #document = :document, #version = :next",
                ConditionExpression = current is null ? "attribute_not_exists(tenantId)" : "#version = :version",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#document"] = "document", ["#version"] = "version" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":document"] = new() { S = json },
                    [":next"] = new() { N = next.Version.ToString(CultureInfo.InvariantCulture) },
                },
            };
            if (current is not null)
            {
                request.ExpressionAttributeValues[":version"] = new() { N = current.Version.ToString(CultureInfo.InvariantCulture) };
            }

            try
            {
                await _dynamo.UpdateItemAsync(request, cancellationToken).ConfigureAwait(false);
                return (current is null ? PutResult.Created : PutResult.Updated, next);
            }
            catch (ConditionalCheckFailedException) when (ifMatch is null)
            {
            }
            catch (ConditionalCheckFailedException)
            {
                return (PutResult.PreconditionFailed, await GetAsync(tenantId, cancellationToken).ConfigureAwait(false));
            }
        }

        return (PutResult.PreconditionFailed, await GetAsync(tenantId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A page of tenants in key order; the cursor is the last tenant id of the page before.</summary>
    public async Task<(IReadOnlyList<StoredTenant> Items, string? Next)> ListAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        var request = new ScanRequest { TableName = _table, Limit = limit, ConsistentRead = true };
        if (after is not null)
        {
            request.ExclusiveStartKey = new Dictionary<string, AttributeValue> { ["tenantId"] = new() { S = after } };
        }

        var answer = await _dynamo.ScanAsync(request, cancellationToken).ConfigureAwait(false);
        var items = (answer.Items ?? []).Where(IsTenant).Select(FromItem).ToArray();
        var next = answer.LastEvaluatedKey is { Count: > 0 } last ? last["tenantId"].S : null;
        return (items, next);
    }

    private static bool Matches(string ifMatch, StoredTenant? current) =>
        current is not null && (ifMatch.Trim() == "*" || ifMatch.Split(',').Any(tag => tag.Trim() == current.ETag));

    // Ids starting with '_' are never a tenant's (the document's pattern forbids them): they are the service's own items.
    private static bool IsTenant(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue("tenantId", out var id) && id.S is { } text && !text.StartsWith('_') && item.ContainsKey("document");

    private static StoredTenant FromItem(Dictionary<string, AttributeValue> item) => new(
        item["tenantId"].S,
        item["document"].S,
        long.Parse(item["version"].N, CultureInfo.InvariantCulture))
    {
        Revoked = ReadRevocations(item),
    };
}
