using Amazon.DynamoDBv2.Model;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>What was issued and what was written: STS calls on both endpoints, lease items, whole-table scans.</summary>
public static class Ledger
{
    /// <summary>Every call either STS endpoint received, answered or not.</summary>
    public static int StsCalls(this LocalCloud cloud) => cloud.Sts.Calls.Count + cloud.StsWest.Calls.Count;

    /// <summary>Every lease item of a tenant, all pages of them.</summary>
    public static async Task<List<Dictionary<string, AttributeValue>>> AllLeaseItemsAsync(this LocalCloud cloud, string tenantId)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await cloud.Dynamo.QueryAsync(new QueryRequest
            {
                TableName = cloud.LeasesTable,
                KeyConditionExpression = "tenantId = :t",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":t"] = new() { S = tenantId } },
                ConsistentRead = true,
                ExclusiveStartKey = start,
            });
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return items;
    }

    /// <summary>Every item of a table.</summary>
    public static async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(this LocalCloud cloud, string table)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await cloud.Dynamo.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true });
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return items;
    }

    /// <summary>
    /// Sends a request that must be refused: the documented status and code, as problem+json, with no STS call made
    /// (on either endpoint) and no lease written for the tenant.
    /// </summary>
    public static async Task<Answer> AssertRefusedAsync(this LocalCloud cloud, string tenantId, HttpApiRequest request, int status, string code, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var calls = cloud.StsCalls();

        var answer = await cloud.SendSeenAsync(request);

        Assert.True(answer.Status == status && answer.Code == code, $"Expected {status} {code} for {what ?? "the request"}, got {answer}");
        Assert.Equal("application/problem+json", answer.Header("content-type"));
        Assert.Equal(status, answer.Json.GetProperty("status").GetInt32());
        if (status == 401)
        {
            Assert.Equal("Bearer error=\"invalid_token\"", answer.Header("www-authenticate"));
        }

        Assert.True(calls == cloud.StsCalls(), $"A refused request ({code}, {what ?? "the request"}) reached STS.");
        Assert.True((await cloud.AllLeaseItemsAsync(tenantId)).Count == 0, $"A refused request ({code}, {what ?? "the request"}) left a lease.");
        return answer;
    }

    /// <summary>
    /// The ledger holds exactly the leases whose credentials were returned: one item for each 200 (same lease id, same
    /// access key id) and no other item for the tenant.
    /// </summary>
    public static async Task AssertHoldsExactlyAsync(this LocalCloud cloud, string tenantId, IEnumerable<Answer> answers)
    {
        var returned = answers.Where(a => a.Status == 200)
            .Select(a => (Lease: a.Json.GetProperty("leaseId").GetString()!, Key: a.Json.GetProperty("credentials").GetProperty("accessKeyId").GetString()!))
            .OrderBy(r => r.Lease, StringComparer.Ordinal)
            .ToArray();
        var recorded = (await cloud.AllLeaseItemsAsync(tenantId))
            .Select(i => (Lease: i["leaseId"].S, Key: i["accessKeyId"].S))
            .OrderBy(r => r.Lease, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(returned, recorded);
    }
}
