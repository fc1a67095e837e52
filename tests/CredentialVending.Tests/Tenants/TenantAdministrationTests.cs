using System.Text;
using CredentialVending.Common;
using CredentialVending.Tenants;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Tenants;

/// <summary>The admin routes' tenants: put (created, unchanged, updated, If-Match), get, list, and DynamoDB's failures as 503s.</summary>
[Collection(LocalTablesCollection.Name)]
public sealed class TenantAdministrationTests(LocalTablesFixture local)
{
    [Fact]
    public async Task A_new_tenant_is_created_at_version_1_and_the_same_document_again_leaves_it_unchanged()
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        var administration = local.Administration();

        var created = await PutAsync(administration, tenantId, local.Document(tenantId));
        var again = await PutAsync(administration, tenantId, local.Document(tenantId));

        Assert.Equal((PutResult.Created, 1L), (created.Value.Result, created.Value.Stored.Version));
        Assert.Equal((PutResult.Unchanged, created.Value.Stored.ETag), (again.Value.Result, again.Value.Stored.ETag));
    }

    [Fact]
    public async Task A_change_under_the_current_etag_is_an_update_and_under_another_is_412_naming_the_current_one()
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        var administration = local.Administration();
        var created = await PutAsync(administration, tenantId, local.Document(tenantId));

        var updated = await PutAsync(administration, tenantId, local.Document(tenantId, status: "suspended"), created.Value.Stored.ETag);
        var stale = await PutAsync(administration, tenantId, local.Document(tenantId), created.Value.Stored.ETag);

        Assert.Equal((PutResult.Updated, 2L), (updated.Value.Result, updated.Value.Stored.Version));
        Assert.Equal("precondition_failed", stale.Refusal!.Code);
        Assert.Contains($"the current ETag is {updated.Value.Stored.ETag}", stale.Refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_the_reader_refuses_is_400_invalid_tenant_and_stores_nothing()
    {
        var tenantId = LocalTablesFixture.NewTenantId();

        var refused = await PutAsync(local.Administration(), tenantId, local.Document(tenantId).Replace("\"active\"", "\"sleeping\"", StringComparison.Ordinal));

        Assert.Equal("invalid_tenant", refused.Refusal!.Code);
        Assert.Equal("tenant_not_found", (await local.Administration().GetAsync(tenantId, CancellationToken.None)).Refusal!.Code);
    }

    [Fact]
    public async Task Get_answers_the_stored_tenant_or_404_tenant_not_found()
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        var created = await PutAsync(local.Administration(), tenantId, local.Document(tenantId));

        var stored = await local.Administration().GetAsync(tenantId, CancellationToken.None);
        var missing = await local.Administration().GetAsync("never-onboarded", CancellationToken.None);

        Assert.Equal(created.Value.Stored.ETag, stored.Value!.ETag);
        Assert.Equal(("tenant_not_found", "No tenant 'never-onboarded' is onboarded."), (missing.Refusal!.Code, missing.Refusal.Detail));
    }

    [Fact]
    public async Task The_listing_summarises_each_tenant_with_its_name_status_version_and_findings()
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        await PutAsync(local.Administration(), tenantId, local.Document(tenantId));

        var all = new List<TenantSummary>();
        string? after = null;
        do
        {
            var (items, next) = await local.Administration().ListAsync(100, after, CancellationToken.None);
            all.AddRange(items);
            after = next;
        }
        while (after is not null);

        Assert.Contains(new TenantSummary(tenantId, $"Tenant {tenantId}", "active", 1, 0), all);
    }

    [Fact]
    public async Task An_unreachable_dynamodb_is_a_dependency_failure_on_every_operation_never_a_refusal()
    {
        using var dynamo = LocalTablesFixture.Unreachable();
        var administration = new TenantAdministration(new TenantStore(dynamo, "tenants"), null, true, TimeProvider.System);

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => administration.GetAsync("acme", CancellationToken.None));
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => administration.ListAsync(10, null, CancellationToken.None));
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => PutAsync(administration, "acme", local.Document("acme")));
    }

    private static Task<Outcome<(PutResult Result, StoredTenant Stored)>> PutAsync(TenantAdministration administration, string tenantId, string json, string? ifMatch = null) =>
        administration.PutAsync(tenantId, Encoding.UTF8.GetBytes(json), ifMatch, CancellationToken.None);
}
