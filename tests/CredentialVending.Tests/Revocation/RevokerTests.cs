using CredentialVending.Leases;
using CredentialVending.Revocation;
using CredentialVending.Tenants;
using CredentialVending.Tests.Leases;
using CredentialVending.Tests.TestSupport;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Revocation;

/// <summary>
/// Which condition key a subject revocation names, per mode; and, against dynalite, that the deny of a busy tenant
/// does not wait for its ledger, and the marking of its leases stops at its time budget and says so.
/// </summary>
[Collection(LocalTablesCollection.Name)]
public sealed class RevokerTests
{
    private readonly LocalTablesFixture _local;

    public RevokerTests(LocalTablesFixture local) => _local = local;

    public static TheoryData<string, string, string?> Keys => new()
    {
        { Acme, "alice", "aws:SourceIdentity" },
        { Acme, "alice smith", "aws:PrincipalTag/subject" },
        { Brokered(), "alice", "aws:SourceIdentity" },
        { Brokered(), "alice smith", "aws:PrincipalTag/subject" },
        { Brokered(Edit("sessionTags/subject", null)), "alice smith", null },
        { Edit("issuance/mode", "\"webIdentity\"", Edit("issuance/externalId", null, Edit("sessionTags", null))), "alice", null },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_subject_is_revoked_by_the_key_its_sessions_carry(string document, string subject, string? key) =>
        Assert.Equal(key, Revoker.SubjectKey(Valid(document), subject));

    [Fact]
    public async Task Revoking_a_tenant_with_450_live_leases_marks_them_all_and_records_the_count()
    {
        var (tenant, iam) = await TenantWithLeasesAsync(450, "assumeRole");

        var record = await NewRevoker(iam, markingBudget: null).RevokeAsync(new RevokeRequest(tenant, RevocationTarget.All, "incident", "ops"), CancellationToken.None);

        Assert.Equal(450, record.Value!.LeasesRevoked);
        Assert.False(record.Value.LeasesIncomplete);
        Assert.Contains("RevokedTenant", iam[RoleName(tenant)]);
        Assert.Equal(450, await CountMarkedAsync(tenant.TenantId));
        var (listed, _) = await Ledger().ListAsync(tenant.TenantId, 10, null, CancellationToken.None);
        Assert.Equal((450, false), (listed.Single().LeasesRevoked, listed.Single().LeasesIncomplete));
    }

    [Fact]
    public async Task When_the_marking_budget_is_spent_the_deny_and_the_record_still_stand_and_say_the_marks_are_incomplete()
    {
        var (tenant, iam) = await TenantWithLeasesAsync(450, "assumeRole");

        var record = await NewRevoker(iam, markingBudget: TimeSpan.Zero).RevokeAsync(new RevokeRequest(tenant, RevocationTarget.All, null, "ops"), CancellationToken.None);

        // One page is marked whatever the budget; the deny was written before any of the ledger was read.
        Assert.True(record.Value!.LeasesIncomplete);
        Assert.InRange(record.Value.LeasesRevoked, 1, 449);
        Assert.Equal(record.Value.LeasesRevoked, await CountMarkedAsync(tenant.TenantId));
        Assert.Contains("RevokedTenant", iam[RoleName(tenant)]);
        var (listed, _) = await Ledger().ListAsync(tenant.TenantId, 10, null, CancellationToken.None);
        Assert.True(listed.Single().LeasesIncomplete);
    }

    [Fact]
    public async Task A_webIdentity_subject_with_more_live_leases_than_a_policy_can_name_is_denied_with_every_session_of_the_role()
    {
        var (tenant, iam) = await TenantWithLeasesAsync(520, "webIdentity");

        var record = await NewRevoker(iam, markingBudget: null).RevokeAsync(new RevokeRequest(tenant, RevocationTarget.OfSubject("alice"), null, "ops"), CancellationToken.None);

        Assert.True(record.Value!.Merged);
        var policy = iam[RoleName(tenant)]!;
        Assert.Contains("RevokedTenant", policy);
        Assert.DoesNotContain("RevokedLeases", policy);
        Assert.Equal((520, false), (record.Value.LeasesRevoked, record.Value.LeasesIncomplete));
    }

    [Fact]
    public async Task A_webIdentity_subject_with_a_few_live_leases_is_denied_lease_by_lease()
    {
        var (tenant, iam) = await TenantWithLeasesAsync(3, "webIdentity");

        var record = await NewRevoker(iam, markingBudget: null).RevokeAsync(new RevokeRequest(tenant, RevocationTarget.OfSubject("alice"), null, "ops"), CancellationToken.None);

        Assert.False(record.Value!.Merged);
        var policy = iam[RoleName(tenant)]!;
        Assert.Contains("RevokedLeases", policy);
        Assert.DoesNotContain("RevokedTenant", policy);
        Assert.Equal(3, record.Value.LeasesRevoked);
    }

    private Revoker NewRevoker(FakeRolePolicies iam, TimeSpan? markingBudget) => new(
        Leases(), new PolicySync(iam, new RevocationStateStore(_local.Tables.Dynamo, _local.Tables.LeasesTable), TimeProvider.System),
        Ledger(), _local.Tenants, TimeProvider.System, markingBudget);

    private LeaseStore Leases() => new(_local.Tables.Dynamo, _local.Tables.LeasesTable, TimeSpan.FromDays(1));

    private RevocationLedger Ledger() => new(_local.Tables.Dynamo, _local.Tables.LeasesTable, TimeSpan.FromDays(1));

    private static string RoleName(TenantDocument tenant) => tenant.Issuance.RoleArn[(tenant.Issuance.RoleArn.LastIndexOf('/') + 1)..];

    /// <summary>A new tenant in <paramref name="mode"/> whose subject alice holds <paramref name="count"/> live leases.</summary>
    private async Task<(TenantDocument Tenant, FakeRolePolicies Iam)> TenantWithLeasesAsync(int count, string mode)
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        var tenant = await _local.OnboardAsync(tenantId, _local.Document(tenantId, mode: mode));
        var leases = Leases();
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var issuedAt = now.AddSeconds(-1 - (i % 600));
            var lease = LeaseSamples.Issued(tenantId) with
            {
                LeaseId = Ulid.New(issuedAt),
                RoleArn = tenant.Issuance.RoleArn,
                IssuedAt = issuedAt,
                ExpiresAt = issuedAt.AddMinutes(15),
                Mode = mode,
            };
            await leases.PutAsync(lease, ct);
        });
        return (tenant, new FakeRolePolicies());
    }

    private async Task<int> CountMarkedAsync(string tenantId)
    {
        var (marked, after) = (0, (string?)null);
        do
        {
            var page = await Leases().QueryAsync(
                new LeaseQuery { TenantId = tenantId, RevokedOnly = true, Since = DateTimeOffset.UtcNow.AddHours(-1), Until = DateTimeOffset.UtcNow, Limit = 100, After = after },
                CancellationToken.None);
            (marked, after) = (marked + page.Items.Count, page.LastLeaseId);
        }
        while (after is not null);
        return marked;
    }
}
