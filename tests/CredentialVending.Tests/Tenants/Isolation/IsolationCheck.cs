using System.Text.Json.Nodes;
using CredentialVending.Tenants;

namespace CredentialVending.Tests.Tenants.Isolation;

/// <summary>
/// Runs one case: renders every caller's sessions from the documents as read, derives the attempts, has the independent
/// evaluator judge them in one batch, and answers every attempt that went the wrong way.
/// </summary>
internal static class IsolationCheck
{
    public sealed record Failure(Attempt Attempt, IamDecision Decision)
    {
        public override string ToString() =>
            $"{(Decision.Error is not null ? "COULD NOT JUDGE" : Attempt.Expect == true ? "DENIED its own owner" : "LEAKED")} ({Decision.Decision ?? Decision.Error}) {Attempt}";
    }

    /// <summary>The attempts that went wrong, for documents already read for each tenant (by PUT, or without the lint).</summary>
    public static IReadOnlyList<Failure> Run(IamEvaluator evaluator, IsolationCase c, IReadOnlyDictionary<string, TenantDocument> documents)
    {
        var attempts = Attempts(c, documents);

        // Many attempts repeat a probe (the owner's own request, for each prober): each is judged once.
        var unique = new Dictionary<string, IamProbe>(StringComparer.Ordinal);
        foreach (var probe in attempts.SelectMany(a => a.Guard is null ? [a.Probe] : new[] { a.Probe, a.Guard }))
        {
            unique.TryAdd(Key(probe), probe);
        }

        var decided = unique.Keys.Zip(evaluator.Evaluate([.. unique.Values])).ToDictionary(d => d.First, d => d.Second, StringComparer.Ordinal);
        return [.. attempts
            .Select(a => new Failure(a, decided[Key(a.Probe)]))
            .Where(f => !AsExpected(f.Attempt, f.Decision, f.Attempt.Guard is { } guard ? decided[Key(guard)] : null))];
    }

    public static int ProbeCount(IsolationCase c, IReadOnlyDictionary<string, TenantDocument> documents) =>
        Attempts(c, documents).SelectMany(a => a.Guard is null ? [a.Probe] : new[] { a.Probe, a.Guard }).Select(Key).Distinct().Count();

    private static string Key(IamProbe probe) => probe.ToJson().ToJsonString();

    private static bool AsExpected(Attempt attempt, IamDecision decision, IamDecision? guard) => attempt.Expect switch
    {
        _ when decision.Error is not null => false,

        // A key iam-simulate ignores for this action is one AWS never sends with it: the statement cannot serve that action.
        true => decision.Allowed || decision.IgnoredKeys.Count > 0,
        false => !decision.Allowed || guard is { Allowed: false },
        null => true,
    };

    public static IReadOnlyList<Attempt> Attempts(IsolationCase c, IReadOnlyDictionary<string, TenantDocument> documents)
    {
        var everything = Enumerable.Range(0, c.Document.Scopes.Count).Select(IsolationDocument.ScopeName).ToArray();
        var full = c.Callers.Select((caller, i) => IsolationSession.Of(documents[caller.TenantId], caller, everything, i)).ToArray();
        var attempts = new List<Attempt>();
        for (var o = 0; o < full.Length; o++)
        {
            for (var p = 0; p < full.Length; p++)
            {
                // The first caller of each tenant owns; both of the other tenant's try (a subject may be the owner's tenant id).
                if (full[o] is { } owner && full[p] is { } prober && owner.Caller.TenantId != prober.Caller.TenantId
                    && c.Callers.First(x => x.TenantId == owner.Caller.TenantId) == owner.Caller)
                {
                    Add(attempts, owner, prober, c.Filler, "another tenant");
                }
            }
        }

        // Another subject of the same tenant, for the scopes whose every name holds {{subject}} fenced: each scope on its own,
        // as a caller asking for only that scope gets it, so another scope shared by the whole tenant cannot blur the verdict.
        for (var k = 0; k < c.Document.Scopes.Count; k++)
        {
            if (!c.Document.Scopes[k].All(SubjectFence.BindsEveryResource))
            {
                continue;
            }

            var only = c.Callers.Select((caller, i) => IsolationSession.Of(documents[caller.TenantId], caller, [IsolationDocument.ScopeName(k)], i)).ToArray();
            for (var o = 0; o < only.Length; o++)
            {
                for (var p = 0; p < only.Length; p++)
                {
                    if (o != p && only[o] is { } owner && only[p] is { } prober && owner.Caller.TenantId == prober.Caller.TenantId)
                    {
                        Add(attempts, owner, prober, c.Filler, "another subject");
                    }
                }
            }
        }

        return attempts;
    }

    private static void Add(List<Attempt> attempts, IsolationSession owner, IsolationSession prober, string filler, string kind)
    {
        for (var i = 0; i < owner.Statements.Count; i++)
        {
            attempts.AddRange(IsolationProbes.Of(owner, prober, i, filler, kind));
        }
    }
}

/// <summary>
/// Whether a statement binds each name to one subject: <c>{{subject}}</c> in every resource, with no wildcard before it,
/// and fenced on both sides by a character no subject holds (/, :, #, the end). docs/api.md ties statements to tenants only;
/// a document that writes <c>{{subject}}*</c> shares a prefix between subjects on purpose, and is not held to this.
/// </summary>
internal static class SubjectFence
{
    private const char Marker = '\uE000';
    private const string Subject = "{{subject}}";

    public static bool BindsEveryResource(string statementJson)
    {
        var resources = IsolationProbes.Strings(JsonNode.Parse(statementJson)!["Resource"]).ToArray();
        return resources.Length > 0 && resources.All(Binds);
    }

    private static bool Binds(string resource)
    {
        var at = resource.IndexOf(Subject, StringComparison.Ordinal);
        if (at < 0 || !resource.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        var start = resource.Split(':', 6) is { Length: 6 } parts ? resource.Length - parts[5].Length : resource.Length;
        var before = resource[start..at];
        var after = resource[(at + Subject.Length)..];
        return at >= start
            && !before.Contains('*', StringComparison.Ordinal) && !before.Contains('?', StringComparison.Ordinal)
            && Fence(before.Length == 0 ? null : Last(before)) && Fence(after.Length == 0 ? null : First(after));
    }

    // A variable beside the subject is no fence: its value is as free as the subject's.
    private static char First(string text) => text.StartsWith("{{", StringComparison.Ordinal) || text.StartsWith("${", StringComparison.Ordinal) ? Marker : text[0];

    private static char Last(string text) => text.EndsWith('}') ? Marker : text[^1];

    private static bool Fence(char? c) => c is null or '/' or ':' or '#';
}
