using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Revocation;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Revocation;

public sealed class PolicySyncTests : IClassFixture<RevocationTables>
{
    private const string Role = "arn:aws:iam::123456789012:role/tenants/tenant-acme";
    private readonly RevocationTables _tables;

    public PolicySyncTests(RevocationTables tables) => _tables = tables;

    [Fact]
    public async Task Fifty_revocations_of_one_role_at_concurrency_16_lose_no_entry()
    {
        var tenant = Tenant();
        var iam = new FakeRolePolicies { Latency = TimeSpan.FromMilliseconds(4) };
        var sync = new PolicySync(iam, new RevocationStateStore(_tables.Dynamo, _tables.Leases), TimeProvider.System);
        var leaseIds = Enumerable.Range(0, 50).Select(i => $"01JDQ3ZV7W5K8Q4T0N9B2X{i:D4}").ToList();

        await Parallel.ForEachAsync(leaseIds, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (leaseId, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            await sync.AddAsync(tenant, Role, "R" + leaseId, [RevocationEntry.ForLease("R" + leaseId, leaseId, now, now.AddHours(1))], ct);
        });

        Assert.Equal(leaseIds.Order(StringComparer.Ordinal), DeniedLeases(iam["tenant-acme"]));
        Assert.True(iam.Puts >= 2, "the writers took turns writing the policy");
    }

    [Fact]
    public async Task IAM_down_fails_the_revocation_and_takes_its_entry_back_out()
    {
        var tenant = Tenant();
        var iam = new FakeRolePolicies();
        var states = new RevocationStateStore(_tables.Dynamo, _tables.Leases);
        var sync = new PolicySync(iam, states, TimeProvider.System);
        var now = DateTimeOffset.UtcNow;

        iam.Down = true;
        await Assert.ThrowsAsync<DependencyUnavailableException>(() =>
            sync.AddAsync(tenant, Role, "R1", [RevocationEntry.ForLease("R1", "01JDQ3ZV7W5K8Q4T0N9B2X0001", now, now.AddHours(1))], CancellationToken.None));
        iam.Down = false;
        await sync.AddAsync(tenant, Role, "R2", [RevocationEntry.ForLease("R2", "01JDQ3ZV7W5K8Q4T0N9B2X0002", now, now.AddHours(1))], CancellationToken.None);

        Assert.Equal(["01JDQ3ZV7W5K8Q4T0N9B2X0002"], DeniedLeases(iam["tenant-acme"]));
        Assert.DoesNotContain((await states.GetAsync(tenant, Role, CancellationToken.None)).Entries, e => e.RevocationId == "R1");
    }

    [Fact]
    public async Task A_revocation_after_an_entry_expired_writes_the_policy_without_it()
    {
        var tenant = Tenant();
        var iam = new FakeRolePolicies();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var sync = new PolicySync(iam, new RevocationStateStore(_tables.Dynamo, _tables.Leases), time);
        var start = time.GetUtcNow();

        await sync.AddAsync(tenant, Role, "R1", [RevocationEntry.ForLease("R1", "01JDQ3ZV7W5K8Q4T0N9B2X0001", start, start.AddMinutes(15))], CancellationToken.None);
        await sync.AddAsync(tenant, Role, "R2", [RevocationEntry.ForTenant("R2", start, start.AddMinutes(60))], CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(16));
        await sync.AddAsync(tenant, Role, "R3", [RevocationEntry.ForLease("R3", "01JDQ3ZV7W5K8Q4T0N9B2X0003", time.GetUtcNow(), time.GetUtcNow().AddMinutes(15))], CancellationToken.None);

        Assert.Equal(["01JDQ3ZV7W5K8Q4T0N9B2X0003"], DeniedLeases(iam["tenant-acme"]));
        Assert.Contains("RevokedTenant", iam["tenant-acme"], StringComparison.Ordinal);

        time.Advance(TimeSpan.FromHours(2));
        await sync.AddAsync(tenant, Role, "R4", [], CancellationToken.None);
        Assert.Null(iam["tenant-acme"]);
    }

    // Each test has its own tenant: the tables are shared by the class.
    private static string Tenant() => "t" + Guid.NewGuid().ToString("N")[..12];

    internal static IReadOnlyList<string> DeniedLeases(string? document)
    {
        Assert.NotNull(document);
        var leases = JsonDocument.Parse(document).RootElement.GetProperty("Statement").EnumerateArray()
            .Where(s => s.GetProperty("Sid").GetString() == "RevokedLeases")
            .SelectMany(s => s.GetProperty("Condition").GetProperty("StringLike").GetProperty("aws:userid").EnumerateArray())
            .Select(v => v.GetString()!["*:".Length..]);
        return [.. leases.Order(StringComparer.Ordinal)];
    }
}
