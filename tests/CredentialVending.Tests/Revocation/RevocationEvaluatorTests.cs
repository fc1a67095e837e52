using System.Text.Json.Nodes;
using CredentialVending.Common;
using CredentialVending.Revocation;
using CredentialVending.Tests.Tenants.Isolation;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Revocation;

/// <summary>
/// Each kind of revocation, judged by @cloud-copilot/iam-simulate (an IAM evaluator nobody here wrote) against the
/// role's policy as the fake IAM holds it after <see cref="PolicySync"/> wrote it, with each session's request context.
/// </summary>
public sealed class RevocationEvaluatorTests : IClassFixture<RevocationTables>, IDisposable
{
    private const string Role = "arn:aws:iam::123456789012:role/tenant-acme";
    private static readonly DateTimeOffset RevokedAt = DateTimeOffset.UtcNow.AddMinutes(-1);

    // alice's revoked lease, alice's other lease, bob's lease (all issued before), alice's lease issued after, and a
    // session of alice's named as the revoked one but issued at another time (as a SAML identity provider names sessions).
    private static readonly Session[] Sessions =
    [
        new("revoked", "01JDQ3ZV7W5K8Q4T0N9B2XAAAA", "alice", RevokedAt.AddMinutes(-10)),
        new("sameSubject", "01JDQ3ZV7W5K8Q4T0N9B2XBBBB", "alice", RevokedAt.AddMinutes(-5)),
        new("otherSubject", "01JDQ3ZV7W5K8Q4T0N9B2XCCCC", "bob", RevokedAt.AddMinutes(-5)),
        new("issuedAfter", "01JDQ3ZV7W5K8Q4T0N9B2XDDDD", "alice", RevokedAt.AddSeconds(30)),
        new("sameName", "01JDQ3ZV7W5K8Q4T0N9B2XAAAA", "alice", RevokedAt.AddMinutes(-3)),
    ];

    private static readonly JsonNode RoleAllows = JsonNode.Parse("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-data/*"}]}
        """)!;

    private readonly RevocationTables _tables;
    private readonly IamEvaluator _evaluator = IamEvaluator.Start();

    public RevocationEvaluatorTests(RevocationTables tables) => _tables = tables;

    public static TheoryData<string, string[]> Kinds => new()
    {
        { "lease", ["revoked", "sameName"] },
        { "samlLease", ["revoked"] },
        { "sourceIdentity", ["revoked", "sameSubject", "sameName"] },
        { "subjectTag", ["revoked", "sameSubject", "sameName"] },
        { "tenant", ["revoked", "sameSubject", "otherSubject", "sameName"] },
        { "merged", ["revoked", "sameSubject", "otherSubject", "sameName"] },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_roles_policy_denies_exactly_the_revoked_sessions(string kind, string[] denied)
    {
        var iam = new FakeRolePolicies();
        var sync = new PolicySync(iam, new RevocationStateStore(_tables.Dynamo, _tables.Leases), new ManualTimeProvider(RevokedAt));
        var tenant = "t" + Guid.NewGuid().ToString("N")[..12];
        var expires = RevokedAt.AddHours(2);
        var lease = Sessions[0].LeaseId;
        if (kind == "merged")
        {
            // More revoked leases than the policy can hold one by one: the next write merges them.
            var others = Enumerable.Range(0, 400).Select(i => RevocationEntry.ForLease("R0", $"01JDQ3ZV7W5K8Q4T0N9B2{i:D5}", RevokedAt, expires)).ToList();
            await sync.AddAsync(tenant, Role, "R0", others[..200], CancellationToken.None);
            var (_, merged) = await sync.AddAsync(tenant, Role, "R1", [.. others[200..], RevocationEntry.ForLease("R1", lease, RevokedAt, expires)], CancellationToken.None);
            Assert.True(merged);
        }
        else
        {
            var entry = kind switch
            {
                "lease" => RevocationEntry.ForLease("R1", lease, RevokedAt, expires),
                "samlLease" => RevocationEntry.ForLease("R1", SamlLease(Sessions[0]), RevokedAt),
                "sourceIdentity" => RevocationEntry.ForSubject("R1", RevocationEntry.SourceIdentityKey, "alice", RevokedAt, expires),
                "subjectTag" => RevocationEntry.ForSubject("R1", RevocationEntry.SubjectTagKey, "alice", RevokedAt, expires),
                _ => RevocationEntry.ForTenant("R1", RevokedAt, expires),
            };
            await sync.AddAsync(tenant, Role, "R1", [entry], CancellationToken.None);
        }

        var policy = JsonNode.Parse(iam["tenant-acme"]!)!;
        var decisions = _evaluator.Evaluate([.. Sessions.Select(s => s.Probe(policy))]);

        Assert.All(decisions, d => Assert.Null(d.Error));
        var deniedByIam = Sessions.Zip(decisions).Where(p => p.Second.Decision == "ExplicitlyDenied").Select(p => p.First.Name);
        var allowedByIam = Sessions.Zip(decisions).Where(p => p.Second.Allowed).Select(p => p.First.Name);
        Assert.Equal(denied, deniedByIam);
        Assert.Equal(Sessions.Select(s => s.Name).Except(denied), allowedByIam);
    }

    public void Dispose() => _evaluator.Dispose();

    /// <summary>A saml lease of the session: its session name is the identity provider's, not the lease id.</summary>
    private static CredentialVending.Leases.Lease SamlLease(Session session) => new()
    {
        LeaseId = "01JDQ3ZV7W5K8Q4T0N9B2XSAML",
        TenantId = "acme",
        Subject = session.Subject,
        Issuer = "https://idp.acme.example/saml",
        Scopes = ["files:read"],
        Mode = "saml",
        RoleArn = Role,
        AssumedRoleArn = $"arn:aws:sts::123456789012:assumed-role/tenant-acme/{session.LeaseId}",
        AccessKeyId = "ASIAEXAMPLEEXAMPLE01",
        IssuedAt = session.IssuedAt,
        ExpiresAt = RevokedAt.AddHours(2),
        DurationSeconds = 3600,
        StsRegion = "us-east-1",
        PolicySha256 = "00",
        SessionName = session.LeaseId,
    };

    private sealed record Session(string Name, string LeaseId, string Subject, DateTimeOffset IssuedAt)
    {
        public IamProbe Probe(JsonNode revocations) => new(
            $"arn:aws:sts::123456789012:assumed-role/tenant-acme/{LeaseId}",
            [RoleAllows, revocations],
            SessionPolicy: null,
            "s3:GetObject",
            "arn:aws:s3:::acme-data/acme/alice/report.csv",
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["aws:userid"] = [$"AROAEXAMPLEROLEID0001:{LeaseId}"],
                ["aws:TokenIssueTime"] = [Iso8601.Format(IssuedAt)],
                ["aws:SourceIdentity"] = [Subject],
                ["aws:PrincipalTag/subject"] = [Subject],
                ["aws:PrincipalTag/tenant"] = ["acme"],
            });
    }
}
