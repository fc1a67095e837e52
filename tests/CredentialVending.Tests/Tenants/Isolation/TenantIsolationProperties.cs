using CredentialVending.Tenants;
using CredentialVending.Tests.Fuzz;
using FsCheck;
using FsCheck.Fluent;

namespace CredentialVending.Tests.Tenants.Isolation;

/// <summary>
/// No session policy the service renders from a document the lint accepts reaches another tenant's resources, or (where
/// the document names each subject's resources) another subject's; and each caller's own requests pass. Judged by
/// <c>@cloud-copilot/iam-simulate</c> 0.1.173, pinned by tests/iam-evaluator/package-lock.json (an IAM evaluator nobody
/// here wrote), through tests/iam-evaluator/evaluate.mjs.
///
/// What it models: the tenant role allows everything, so the session policy alone decides; IAM's wildcard matching of
/// actions and ARNs (field by field), condition operators with IfExists, ForAnyValue and ForAllValues, Null, policy
/// variables (<c>${aws:PrincipalTag/tenant}</c>) filled from the request context, and the keys each action may carry
/// (a key the action never carries is ignored, so a condition on it fails, as in AWS). The request context is the
/// session's: in assumeRole mode the rendered session tags, aws:SourceIdentity (when the subject fits STS's pattern),
/// aws:userid and the assumed-role ARN named by the lease id (in brokered mode too, from the minted token); in webIdentity mode the tenant tag the vend function holds
/// the token to (docs/api.md), so that check is the whole-flow tests' to prove, not this one's.
///
/// What it does not model: resource policies, SCPs, permission boundaries, real resources (a probe's name is a pattern's
/// wildcards filled with "x" or with the other caller's own names: a sample, not a proof of disjointness), and keys
/// AWS sets beyond those above. A probe's resource facts (tags, s3:prefix, dynamodb:LeadingKeys) are the owner's; its
/// request facts (user agent, request tags...) are the prober's to choose; its session facts are the prober's own.
/// </summary>
[Trait("Category", "Soak")]
public sealed class TenantIsolationProperties : IDisposable
{
    private readonly IamEvaluator _evaluator = IamEvaluator.Start();

    /// <summary>Documents accepted under both tenants, read as PUT reads them; none when the lint refuses either.</summary>
    internal static Dictionary<string, TenantDocument>? Put(IsolationCase c)
    {
        var documents = new Dictionary<string, TenantDocument>(StringComparer.Ordinal);
        foreach (var tenant in c.Callers.Select(x => x.TenantId).Distinct())
        {
            if (c.Document.Put(tenant).Value is not { } read)
            {
                return null;
            }

            documents[tenant] = read;
        }

        return documents;
    }

    internal static Arbitrary<IsolationCase> Accepted { get; } = Arb.From(
        IsolationGenerators.Cases.Where(c => Put(c) is not null),
        c => IsolationGenerators.Shrink(c).Where(s => Put(s) is not null));

    [Fact]
    public void The_evaluator_is_the_pinned_one() => Assert.Equal("0.1.173", IamEvaluator.Version);

    [Fact]
    public async Task No_document_the_lint_accepts_reaches_another_tenant_or_subject_and_every_caller_reaches_its_own()
    {
        var probes = 0;
        var property = Prop.ForAll(Accepted, c =>
        {
            var documents = Put(c)!;
            var failures = IsolationCheck.Run(_evaluator, c, documents);
            Interlocked.Add(ref probes, IsolationCheck.ProbeCount(c, documents));
            return Prop.Label(failures.Count == 0, string.Join("\n", failures.Take(3)));
        });

        // Each document costs dozens of evaluations, so the soak runs a fiftieth of CREDVEND_FUZZ_RUNS, at least 200.
        await Task.Run(() => Check.One(FuzzRuns.Config(200).WithMaxTest(Math.Max(200, FuzzRuns.Count(200) / 50)), property));
        Assert.True(probes >= 200 * 10, $"only {probes} probes were judged");
    }

    public void Dispose() => _evaluator.Dispose();
}
