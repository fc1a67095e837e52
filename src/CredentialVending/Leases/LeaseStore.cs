using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CredentialVending.Common;

namespace CredentialVending.Leases;

/// <summary>
/// The lease ledger in DynamoDB: key (tenantId, leaseId); indexes byAccessKey (accessKeyId) and
/// bySubject (tenantSubject = tenant#subject, leaseId); TTL attribute <c>ttl</c>.
/// </summary>
public sealed partial class LeaseStore
{
    public const string ByAccessKey = "byAccessKey";
    public const string BySubject = "bySubject";

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TimeSpan _retention;

    public LeaseStore(IAmazonDynamoDB dynamo, string table, TimeSpan retention)
    {
        _dynamo = dynamo;
        _table = table;
        _retention = retention;
    }

    /// <summary>Writes a new lease; never overwrites one (the lease id is new, so a conflict is a bug or an attack).</summary>
    public async Task PutAsync(Lease lease, CancellationToken cancellationToken)
    {
        await _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = _table,
            Item = ToItem(lease),
            ConditionExpression = "attribute_not_exists(leaseId)",
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Lease?> GetAsync(string tenantId, string leaseId, CancellationToken cancellationToken)
    {
        var answer = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new Dictionary<string, AttributeValue> { ["tenantId"] = S(tenantId), ["leaseId"] = S(leaseId) },
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return answer.Item is { Count: > 0 } item ? FromItem(item) : null;
    }

    internal Dictionary<string, AttributeValue> ToItem(Lease lease)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["tenantId"] = S(lease.TenantId),
            ["leaseId"] = S(lease.LeaseId),
            ["tenantSubject"] = S(LeaseKeys.TenantSubject(lease.TenantId, lease.Subject)),
            ["subject"] = S(lease.Subject),
            ["issuer"] = S(lease.Issuer),
            ["scopes"] = new AttributeValue { L = lease.Scopes.Select(S).ToList() },
            ["mode"] = S(lease.Mode),
            ["roleArn"] = S(lease.RoleArn),
            ["assumedRoleArn"] = S(lease.AssumedRoleArn),
            ["accessKeyId"] = S(lease.AccessKeyId),
            ["issuedAt"] = S(Iso8601.Format(lease.IssuedAt)),
            ["expiresAt"] = S(Iso8601.Format(lease.ExpiresAt)),
            ["expiresAtEpoch"] = N(lease.ExpiresAt.ToUnixTimeSeconds()),
            ["durationSeconds"] = N(lease.DurationSeconds),
            ["stsRegion"] = S(lease.StsRegion),
            ["policySha256"] = S(lease.PolicySha256),
            // DynamoDB's TTL deletes the record this long after the credentials expired.
            ["ttl"] = N(lease.ExpiresAt.Add(_retention).ToUnixTimeSeconds()),
        };
        Optional(item, "sourceIp", lease.SourceIp);
        Optional(item, "userAgent", lease.UserAgent);
        Optional(item, "requestId", lease.RequestId);
        Optional(item, "sessionName", lease.SessionName);
        if (lease.PackedPolicySize is { } size)
        {
            item["packedPolicySize"] = N(size);
        }

        return item;
    }

    /// <summary>A stored lease; an item that does not read as one (a field missing or garbled) is DynamoDB's failure, a 503.</summary>
    internal static Lease FromItem(Dictionary<string, AttributeValue> item)
    {
        try
        {
            return Read(item);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new DependencyUnavailableException("The ledger answered a lease it cannot read; try again shortly.", DynamoFailures.RetryAfter, e);
        }
    }

    private static Lease Read(Dictionary<string, AttributeValue> item) => new()
    {
        TenantId = Required(item, "tenantId"),
        LeaseId = Required(item, "leaseId"),
        Subject = Str(item, "subject") ?? string.Empty,
        Issuer = Str(item, "issuer") ?? string.Empty,
        Scopes = item.TryGetValue("scopes", out var scopes) && scopes.L is { } list ? list.Select(v => v.S).ToArray() : [],
        Mode = Str(item, "mode") ?? string.Empty,
        RoleArn = Str(item, "roleArn") ?? string.Empty,
        AssumedRoleArn = Str(item, "assumedRoleArn") ?? string.Empty,
        AccessKeyId = Str(item, "accessKeyId") ?? string.Empty,
        IssuedAt = DateTimeOffset.Parse(Required(item, "issuedAt"), CultureInfo.InvariantCulture),
        ExpiresAt = DateTimeOffset.Parse(Required(item, "expiresAt"), CultureInfo.InvariantCulture),
        DurationSeconds = (int)(Num(item, "durationSeconds") ?? 0),
        StsRegion = Str(item, "stsRegion") ?? string.Empty,
        PolicySha256 = Str(item, "policySha256") ?? string.Empty,
        PackedPolicySize = Num(item, "packedPolicySize") is { } size ? (int)size : null,
        SourceIp = Str(item, "sourceIp"),
        UserAgent = Str(item, "userAgent"),
        RequestId = Str(item, "requestId"),
        SessionName = Str(item, "sessionName"),
        RevokedAt = Str(item, "revokedAt") is { } revokedAt ? DateTimeOffset.Parse(revokedAt, CultureInfo.InvariantCulture) : null,
        RevocationId = Str(item, "revocationId"),
    };

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static void Optional(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            item[name] = S(value);
        }
    }

    private static string Required(Dictionary<string, AttributeValue> item, string name) =>
        Str(item, name) ?? throw new FormatException($"The lease item has no string {name}.");

    private static string? Str(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static long? Num(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : null;
}
