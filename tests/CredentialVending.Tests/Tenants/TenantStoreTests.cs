using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using CredentialVending.Tenants;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Tenants;

/// <summary>The tenants table through <see cref="TenantStore"/>, on dynalite with template.yaml's table.</summary>
[Collection(TemplateDynamoCollection.Name)]
public sealed partial class TenantStoreTests(TemplateDynamo dynamo)
{
    private const string First = """{"tenantId":"acme","displayName":"Acme"}""";
    private const string Second = """{"tenantId":"acme","displayName":"Acme Corp"}""";

    private async Task<TenantStore> NewStoreAsync() => new(dynamo.Client, (await dynamo.NewTablesAsync()).Tenants);

    [Fact]
    public async Task A_new_tenant_is_created_at_version_1_and_reads_back_as_stored()
    {
        var store = await NewStoreAsync();

        var (result, stored) = await store.PutAsync("acme", First, ifMatch: null, CancellationToken.None);
        var read = await store.GetAsync("acme", CancellationToken.None);

        Assert.Equal(PutResult.Created, result);
        Assert.Equal(new StoredTenant("acme", First, 1), stored);
        Assert.Equal(stored, read);
        Assert.Matches(ETagPattern(), read!.ETag);
        Assert.StartsWith("\"1-", read.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_document_twice_leaves_one_version_and_a_change_makes_the_next_with_a_new_etag()
    {
        var store = await NewStoreAsync();
        var (_, created) = await store.PutAsync("acme", First, null, CancellationToken.None);

        var (again, unchanged) = await store.PutAsync("acme", First, null, CancellationToken.None);
        var (changed, updated) = await store.PutAsync("acme", Second, null, CancellationToken.None);

        Assert.Equal(PutResult.Unchanged, again);
        Assert.Equal(created, unchanged);
        Assert.Equal(PutResult.Updated, changed);
        Assert.Equal(2, updated!.Version);
        Assert.NotEqual(created!.ETag, updated.ETag);
        Assert.Equal(updated, await store.GetAsync("acme", CancellationToken.None));
    }

    [Fact]
    public void The_etag_tells_two_documents_of_one_version_apart()
    {
        Assert.NotEqual(new StoredTenant("acme", First, 3).ETag, new StoredTenant("acme", Second, 3).ETag);
        Assert.NotEqual(new StoredTenant("acme", First, 3).ETag, new StoredTenant("acme", First, 4).ETag);
    }

    public static TheoryData<string, string, PutResult> IfMatches => new()
    {
        { "the current etag", "current", PutResult.Updated },
        { "the current etag among others", "\"9-0000000000000000\", current", PutResult.Updated },
        { "any existing version", "*", PutResult.Updated },
        { "an etag of an older version", "old", PutResult.PreconditionFailed },
        { "an etag never issued", "\"1-ffffffffffffffff\"", PutResult.PreconditionFailed },
    };

    [Theory]
    [MemberData(nameof(IfMatches))]
    public async Task If_match_writes_only_over_the_version_it_names(string why, string ifMatch, PutResult expected)
    {
        var store = await NewStoreAsync();
        var (_, old) = await store.PutAsync("acme", First, null, CancellationToken.None);
        var (_, current) = await store.PutAsync("acme", Second, null, CancellationToken.None);
        var header = ifMatch.Replace("current", current!.ETag, StringComparison.Ordinal).Replace("old", old!.ETag, StringComparison.Ordinal);

        var (result, answered) = await store.PutAsync("acme", """{"tenantId":"acme","displayName":"Third"}""", header, CancellationToken.None);

        Assert.True(expected == result, $"{why}: {result}");
        Assert.Equal(expected == PutResult.Updated ? 3 : 2, answered!.Version);
        Assert.Equal(answered, await store.GetAsync("acme", CancellationToken.None));
    }

    [Fact]
    public async Task If_match_on_a_tenant_that_does_not_exist_fails_and_creates_nothing()
    {
        var store = await NewStoreAsync();

        var (result, answered) = await store.PutAsync("acme", First, "*", CancellationToken.None);

        Assert.Equal(PutResult.PreconditionFailed, result);
        Assert.Null(answered);
        Assert.Null(await store.GetAsync("acme", CancellationToken.None));
    }

    [Fact]
    public async Task Two_writers_without_if_match_both_land_one_version_apart()
    {
        var store = await NewStoreAsync();

        var results = await Task.WhenAll(
            store.PutAsync("acme", First, null, CancellationToken.None),
            store.PutAsync("acme", Second, null, CancellationToken.None));

        Assert.Equal([PutResult.Created, PutResult.Updated], results.Select(r => r.Result).Order());
        var last = results.Single(r => r.Result == PutResult.Updated).Stored!;
        Assert.Equal(last, await store.GetAsync("acme", CancellationToken.None));
        Assert.Equal(2, last.Version);
    }

    [Fact]
    public async Task Two_writers_with_the_same_if_match_cannot_both_write()
    {
        var store = await NewStoreAsync();
        var (_, current) = await store.PutAsync("acme", First, null, CancellationToken.None);

        var results = await Task.WhenAll(
            store.PutAsync("acme", Second, current!.ETag, CancellationToken.None),
            store.PutAsync("acme", """{"tenantId":"acme","displayName":"Third"}""", current.ETag, CancellationToken.None));

        Assert.Equal([PutResult.Updated, PutResult.PreconditionFailed], results.Select(r => r.Result).Order());
        Assert.Equal(2, (await store.GetAsync("acme", CancellationToken.None))!.Version);
    }

    public static TheoryData<string> IdsNoTenantHas => new()
    {
        "",
        "a",
        "Acme",
        "acme_corp",
        "-acme",
        "_role#arn:aws:iam::123456789012:role/tenant-acme",
        new string('a', 64),
        // Past DynamoDB's 2,048-byte partition key: asking would be a ValidationException, a 500.
        new string('a', 2049),
        "\u00e9" + new string('a', 1100),
    };

    [Theory]
    [MemberData(nameof(IdsNoTenantHas))]
    public async Task An_id_no_tenant_can_have_is_not_found_and_never_a_dynamodb_error(string id)
    {
        var store = await NewStoreAsync();

        Assert.Null(await store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task A_tenant_never_stored_is_not_found()
    {
        var store = await NewStoreAsync();
        await store.PutAsync("acme", First, null, CancellationToken.None);

        Assert.Null(await store.GetAsync("acme-2", CancellationToken.None));
    }

    [Fact]
    public async Task The_listing_pages_through_every_tenant_once_and_never_answers_the_service_own_items()
    {
        var store = await NewStoreAsync();
        var ids = Enumerable.Range(0, 7).Select(i => $"tenant-{i}").ToArray();
        foreach (var id in ids)
        {
            await store.PutAsync(id, $$"""{"tenantId":"{{id}}"}""", null, CancellationToken.None);
        }

        await store.ClaimRoleAsync("arn:aws:iam::123456789012:role/r", "tenant-0", DateTimeOffset.UtcNow, null, CancellationToken.None);
        await store.PutIntentAsync("tenant-1", "{}", DateTimeOffset.UtcNow, CancellationToken.None);

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var (items, next) = await store.ListAsync(3, after, CancellationToken.None);
            Assert.InRange(items.Count, 0, 3);
            seen.AddRange(items.Select(i => i.TenantId));
            after = next;
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.Null(after);
        Assert.Equal(ids, seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_stored_item_holds_the_document_and_its_version_under_the_tenant_id()
    {
        var names = await dynamo.NewTablesAsync();
        var store = new TenantStore(dynamo.Client, names.Tenants);
        await store.PutAsync("acme", First, null, CancellationToken.None);

        var item = (await dynamo.Client.GetItemAsync(new GetItemRequest { TableName = names.Tenants, Key = new() { ["tenantId"] = new() { S = "acme" } } })).Item;

        Assert.Equal(["document", "tenantId", "version"], item.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(First, item["document"].S);
        Assert.Equal("1", item["version"].N);
    }

    [GeneratedRegex("^\"[0-9]+-[0-9a-f]{16}\"$")]
    private static partial Regex ETagPattern();
}
