using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.SystemTests.Hostile;
using CredentialVending.SystemTests.Support;
using Json.Schema;

namespace CredentialVending.SystemTests.Metrics;

/// <summary>
/// The EMF records among the lines the functions printed, and what is wrong with one: first the specification's rules
/// (emf.schema.json, then what a schema cannot state: every dimension a top-level string, every metric a top-level number
/// or array of at most 100 numbers), then docs/api.md's (the namespace, the dimension sets, the names and their units).
/// </summary>
public static class EmfRecords
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Metrics", "emf.schema.json")));

    public static bool IsRecord(string line) => line.StartsWith('{') && line.Contains("\"_aws\"", StringComparison.Ordinal);

    /// <summary>The records among <paramref name="lines"/>, parsed.</summary>
    public static IReadOnlyList<JsonElement> In(IEnumerable<string> lines) =>
        [.. lines.Where(IsRecord).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    /// <summary>
    /// Every record the functions printed so far, checked: each against the rules, and none holding a subject of the
    /// ledger's leases among its values (the secret scan covers secrets and tokens in every line, these included).
    /// </summary>
    public static async Task<(int Swept, IReadOnlyList<string> Problems)> SweepAsync(LocalCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var subjects = (await cloud.ScanAsync(cloud.LeasesTable)).Select(i => i.GetValueOrDefault("subject")?.S).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var lines = cloud.Logs.Where(IsRecord).ToArray();
        var problems = new List<string>();
        foreach (var line in lines)
        {
            problems.AddRange(Problems(line).Select(p => $"{p} in {line}"));
            var values = JsonDocument.Parse(line).RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()!);
            if (values.Any(subjects.Contains))
            {
                problems.Add("a record holds a subject: " + line);
            }
        }

        return (lines.Length, problems.Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>What is wrong with one record; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(string line)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (JsonException e)
        {
            return ["not JSON: " + e.Message];
        }

        var result = Schema.Value.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            return [.. (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
        }

        var problems = new List<string>();
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        if (timestamp < DateTimeOffset.UtcNow.AddDays(-14) || timestamp > DateTimeOffset.UtcNow.AddHours(2))
        {
            problems.Add($"Timestamp {timestamp:O} is outside what CloudWatch takes (14 days back to 2 hours ahead)");
        }

        foreach (var directive in root.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray())
        {
            problems.AddRange(DirectiveProblems(root, directive));
        }

        if (root.TryGetProperty(MetricNames.FunctionDimension, out var function) && function.ValueKind == JsonValueKind.String && !RouteTable.Functions.Contains(function.GetString()!))
        {
            problems.Add($"Function '{function}' is none of the functions");
        }

        return problems;
    }

    private static IEnumerable<string> DirectiveProblems(JsonElement root, JsonElement directive)
    {
        var ns = directive.GetProperty("Namespace").GetString();
        if (ns != MetricNames.Namespace)
        {
            yield return $"namespace '{ns}' is not {MetricNames.Namespace}";
        }

        var sets = directive.GetProperty("Dimensions").EnumerateArray().Select(set => string.Join(',', set.EnumerateArray().Select(d => d.GetString()))).ToArray();
        foreach (var name in directive.GetProperty("Dimensions").EnumerateArray().SelectMany(set => set.EnumerateArray()).Select(d => d.GetString()!))
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0)
            {
                yield return $"dimension {name} is not a top-level string";
            }
        }

        var refusals = sets.SequenceEqual([$"{MetricNames.FunctionDimension},{MetricNames.CodeDimension}"]);
        if (!refusals && !sets.SequenceEqual([MetricNames.FunctionDimension]))
        {
            yield return $"dimension sets [{string.Join("; ", sets)}] are neither [Function] nor [Function,Code]";
        }

        foreach (var metric in directive.GetProperty("Metrics").EnumerateArray())
        {
            var name = metric.GetProperty("Name").GetString()!;
            var unit = metric.TryGetProperty("Unit", out var u) ? u.GetString() : null;
            if (!MetricNames.All.Contains(name))
            {
                yield return $"metric {name} is not one of docs/api.md's";
            }
            else if ((name == MetricNames.Refused) != refusals)
            {
                yield return $"metric {name} is in the wrong dimension set";
            }

            if (unit != (name == MetricNames.StsLatency ? "Milliseconds" : "Count"))
            {
                yield return $"metric {name} has unit {unit}";
            }

            if (!root.TryGetProperty(name, out var value) || !IsMetricValue(value))
            {
                yield return $"metric {name} is not a top-level number or array of 1 to 100 numbers";
            }
        }
    }

    private static bool IsMetricValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => true,
        JsonValueKind.Array => value.GetArrayLength() is > 0 and <= 100 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number),
        _ => false,
    };
}
