using Amazon.DynamoDBv2.Model;
using CredentialVending.Common;
using CredentialVending.Leases;
using CredentialVending.Tests.TestSupport;
using static CredentialVending.Tests.Leases.LeaseSamples;

namespace CredentialVending.Tests.Leases;

/// <summary>The ledger's writes and reads by key through <see cref="LeaseStore"/>, on dynalite with template.yaml's table.</summary>
[Collection(TemplateDynamoCollection.Name)]
public sealed class LeaseStoreTests(TemplateDynamo dynamo)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private async Task<(LeaseStore Store, string Table)> NewStoreAsync()
    {
        var table = (await dynamo.NewTablesAsync()).Leases;
        return (new LeaseStore(dynamo.Client, table, Retention), table);
    }

    [Fact]
    public async Task A_lease_reads_back_with_every_field_it_was_written_with()
    {
        var (store, _) = await NewStoreAsync();
        var lease = Issued("acme");

        await store.PutAsync(lease, CancellationToken.None);

        Assert.Equivalent(lease, await store.GetAsync("acme", lease.LeaseId, CancellationToken.None), strict: true);
    }

    [Fact]
    public async Task A_lease_without_its_optional_fields_reads_back_without_them()
    {
        var (store, _) = await NewStoreAsync();
        var lease = Issued("acme") with { PackedPolicySize = null, SourceIp = null, UserAgent = "", RequestId = null };

        await store.PutAsync(lease, CancellationToken.None);
        var read = await store.GetAsync("acme", lease.LeaseId, CancellationToken.None);

        Assert.Equivalent(lease with { UserAgent = null }, read, strict: true);
    }

    [Fact]
    public async Task A_lease_id_is_written_once_and_a_second_write_of_it_is_refused_by_dynamodb()
    {
        var (store, _) = await NewStoreAsync();
        var lease = Issued("acme");
        await store.PutAsync(lease, CancellationToken.None);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => store.PutAsync(lease with { AccessKeyId = "ASIAOTHER00000000001" }, CancellationToken.None));

        Assert.Equal(lease.AccessKeyId, (await store.GetAsync("acme", lease.LeaseId, CancellationToken.None))!.AccessKeyId);
    }

    [Fact]
    public async Task A_lease_is_found_only_under_its_own_tenant()
    {
        var (store, _) = await NewStoreAsync();
        var lease = Issued("acme");
        await store.PutAsync(lease, CancellationToken.None);

        Assert.Null(await store.GetAsync("globex", lease.LeaseId, CancellationToken.None));
        Assert.Null(await store.GetAsync("acme", Ulid.New(Start), CancellationToken.None));
    }

    [Fact]
    public async Task The_item_carries_the_index_keys_and_a_ttl_the_retention_after_expiry()
    {
        var (store, table) = await NewStoreAsync();
        var lease = Issued("acme", subject: "alice@example.com");
        await store.PutAsync(lease, CancellationToken.None);

        var item = await RawItemAsync(table, "acme", lease.LeaseId);

        Assert.Equal("acme#alice@example.com", item["tenantSubject"].S);
        Assert.Equal(lease.AccessKeyId, item["accessKeyId"].S);
        Assert.Equal(lease.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item["expiresAtEpoch"].N);
        Assert.Equal(lease.ExpiresAt.Add(Retention).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item["ttl"].N);
    }

    [Fact]
    public async Task The_item_holds_no_attribute_for_a_secret_or_a_token()
    {
        var (store, table) = await NewStoreAsync();
        var lease = Issued("acme");
        await store.PutAsync(lease, CancellationToken.None);

        var item = await RawItemAsync(table, "acme", lease.LeaseId);

        Assert.DoesNotContain(item.Keys, k => k.Contains("secret", StringComparison.OrdinalIgnoreCase) || k.Contains("token", StringComparison.OrdinalIgnoreCase));
    }

    public static TheoryData<string, string?> Garbles => new()
    {
        { "issuedAt", null },
        { "issuedAt", "yesterday" },
        { "expiresAt", "2026-13-45T99:00:00Z" },
        { "durationSeconds", "n:1.5" },
        { "packedPolicySize", "n:99999999999999999999" },
    };

    [Theory]
    [MemberData(nameof(Garbles))]
    public async Task An_item_that_does_not_read_as_a_lease_is_the_ledger_failing_not_a_missing_lease(string attribute, string? value)
    {
        var (store, table) = await NewStoreAsync();
        var lease = Issued("acme");
        await store.PutAsync(lease, CancellationToken.None);
        var item = await RawItemAsync(table, "acme", lease.LeaseId);
        if (value is null)
        {
            item.Remove(attribute);
        }
        else
        {
            item[attribute] = value.StartsWith("n:", StringComparison.Ordinal) ? new AttributeValue { N = value[2..] } : new AttributeValue { S = value };
        }

        await dynamo.Client.PutItemAsync(new PutItemRequest { TableName = table, Item = item });

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(() => store.GetAsync("acme", lease.LeaseId, CancellationToken.None));
        Assert.Equal(DynamoFailures.RetryAfter, failure.RetryAfter);
    }

    [Fact]
    public async Task A_subject_at_the_index_key_limit_is_recorded_and_found_and_one_byte_more_is_named_as_too_long()
    {
        var (store, _) = await NewStoreAsync();
        // "acme#" and 2,043 bytes: one 2-byte character and 2,041 ASCII ones, so bytes are counted, not characters.
        var fits = "\u00e9" + new string('a', LeaseKeys.MaxPartitionKeyBytes - "acme#".Length - 2);
        var lease = Issued("acme", subject: fits);

        await store.PutAsync(lease, CancellationToken.None);
        var found = await store.QueryAsync(new LeaseQuery { TenantId = "acme", Subject = fits, Limit = 10 }, CancellationToken.None);

        Assert.Equal([lease.LeaseId], found.Items.Select(l => l.LeaseId));
        Assert.Null(LeaseKeys.SubjectProblem("acme", fits));
        // DynamoDB refuses a longer index key (ValidationException); dynalite does not, so the vend path must ask LeaseKeys first.
        Assert.Contains("2049 bytes", LeaseKeys.SubjectProblem("acme", fits + "a"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_subject_with_a_lone_surrogate_is_named_as_unrecordable()
    {
        Assert.Contains("lone surrogate", LeaseKeys.SubjectProblem("acme", "alice\ud800"), StringComparison.Ordinal);
        Assert.Null(LeaseKeys.SubjectProblem("acme", "alice\ud83d\ude00"));
    }

    private async Task<Dictionary<string, AttributeValue>> RawItemAsync(string table, string tenantId, string leaseId) =>
        (await dynamo.Client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { ["tenantId"] = new() { S = tenantId }, ["leaseId"] = new() { S = leaseId } },
            ConsistentRead = true,
        })).Item;
}
