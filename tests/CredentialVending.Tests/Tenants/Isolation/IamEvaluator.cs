using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Tests.Tenants.Isolation;

/// <summary>One request to judge: who asks, under which policies, for what, with which request context.</summary>
internal sealed record IamProbe(
    string Principal,
    IReadOnlyList<JsonNode> IdentityPolicies,
    JsonNode? SessionPolicy,
    string Action,
    string Resource,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Context)
{
    public JsonObject ToJson()
    {
        var context = new JsonObject();
        foreach (var (key, values) in Context)
        {
            // Single-valued keys go as strings, as iam-simulate checks each key's type; multi-valued ones as arrays.
            context[key] = values.Count == 1 && !IamEvaluator.IsMultiValued(key) ? values[0] : new JsonArray([.. values.Select(v => (JsonNode?)v)]);
        }

        return new JsonObject
        {
            ["principal"] = Principal,
            ["identityPolicies"] = new JsonArray([.. IdentityPolicies.Select(p => p.DeepClone())]),
            ["sessionPolicy"] = SessionPolicy?.DeepClone(),
            ["action"] = Action,
            ["resource"] = Resource,
            ["context"] = context,
        };
    }
}

/// <summary>What iam-simulate answered: Allowed, ImplicitlyDenied or ExplicitlyDenied, or why it could not judge.</summary>
internal sealed record IamDecision(string? Decision, string? Error, IReadOnlyList<string> IgnoredKeys)
{
    public bool Allowed => Decision == "Allowed";
}

/// <summary>
/// tests/iam-evaluator/evaluate.mjs as a child process: one node for the whole run, fed one batch a line, since starting
/// node and loading IAM's data costs a hundred probes. A batch that takes too long, or a node that dies, fails with node's stderr.
/// </summary>
internal sealed class IamEvaluator : IDisposable
{
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _node;
    private readonly StringBuilder _stderr = new();

    // Two locks: one batch at a time, and node's stderr apart, so a node writing much to stderr never waits on a batch.
    private readonly Lock _gate = new();
    private readonly Lock _stderrGate = new();

    private IamEvaluator(Process node) => _node = node;

    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "iam-evaluator");

    /// <summary>The evaluator's version, as the lock file pins it: what the test's verdicts rest on.</summary>
    public static string Version =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "node_modules", "@cloud-copilot", "iam-simulate", "package.json")))!["version"]!.GetValue<string>();

    public static bool IsMultiValued(string key) =>
        key.Equals("dynamodb:LeadingKeys", StringComparison.OrdinalIgnoreCase) || key.StartsWith("aws:TagKeys", StringComparison.OrdinalIgnoreCase);

    public static IamEvaluator Start()
    {
        var start = new ProcessStartInfo("node", ["evaluate.mjs"])
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var evaluator = new IamEvaluator(node);
        node.ErrorDataReceived += (_, e) =>
        {
            lock (evaluator._stderrGate)
            {
                evaluator._stderr.AppendLine(e.Data);
            }
        };
        node.BeginErrorReadLine();
        return evaluator;
    }

    /// <summary>The decisions, in the probes' order. Batches are answered one at a time.</summary>
    public IReadOnlyList<IamDecision> Evaluate(IReadOnlyList<IamProbe> probes)
    {
        if (probes.Count == 0)
        {
            return [];
        }

        lock (_gate)
        {
            var line = new JsonArray([.. probes.Select(p => (JsonNode?)p.ToJson())]).ToJsonString();
            _node.StandardInput.WriteLine(line);
            _node.StandardInput.Flush();
            var read = _node.StandardOutput.ReadLineAsync();
            if (!read.Wait(BatchTimeout) || read.Result is not { } answer)
            {
                throw new InvalidOperationException(
                    $"the IAM evaluator gave no answer to {probes.Count} probes within {BatchTimeout.TotalSeconds} s (exited: {_node.HasExited}); its stderr:\n{Stderr()}");
            }

            using var parsed = JsonDocument.Parse(answer);
            if (parsed.RootElement.ValueKind != JsonValueKind.Array || parsed.RootElement.GetArrayLength() != probes.Count)
            {
                throw new InvalidOperationException($"the IAM evaluator answered {answer[..Math.Min(answer.Length, 500)]}; its stderr:\n{Stderr()}");
            }

            return [.. parsed.RootElement.EnumerateArray().Select(d => new IamDecision(
                d.GetProperty("decision").GetString(),
                d.GetProperty("error").GetString(),
                [.. d.GetProperty("ignoredKeys").EnumerateArray().Select(k => k.GetString()!)]))];
        }
    }

    private string Stderr()
    {
        // Give node a moment to finish what it was writing when it died.
        Thread.Sleep(200);
        lock (_stderrGate)
        {
            return _stderr.ToString();
        }
    }

    public void Dispose()
    {
        try
        {
            _node.StandardInput.Close();
            if (!_node.WaitForExit(5000))
            {
                _node.Kill();
            }
        }
        finally
        {
            _node.Dispose();
        }
    }
}
