using System.Text.Json;
using System.Text.Json.Nodes;

namespace CredentialVending.Bench.Harness;

/// <summary>One docs/performance.md target, judged against this run's figure.</summary>
public sealed record Target(string Figure, string Goal, string Measured, bool Met);

/// <summary>Everything one run measured, and the targets of docs/performance.md judged against it.</summary>
public sealed record BenchResults(
    Machine Machine,
    DateTimeOffset Date,
    bool Quick,
    int Launches,
    int Invocations,
    IReadOnlyList<Contender> Contenders,
    IReadOnlyDictionary<string, ColdResult> Cold,
    IReadOnlyDictionary<string, WarmResult> Warm,
    IReadOnlyDictionary<string, IReadOnlyList<ThroughputLevel>> Throughput,
    double BootstrapMb,
    TimeSpan Elapsed)
{
    public double ColdAotToJit => Cold["aot"].Total.Median / Cold["jit"].Total.Median;
    public double ColdAotToNode => Cold["aot"].Total.Median / Cold["node"].Total.Median;

    public IReadOnlyList<Target> Targets =>
    [
        new("cold start, AOT vs the same code JIT (medians)", "<= 0.2x", $"{ColdAotToJit:0.000}x", ColdAotToJit <= 0.2),
        new("cold start, AOT vs the Node.js peer (medians)", "<= 0.4x", $"{ColdAotToNode:0.000}x", ColdAotToNode <= 0.4),
        new("warm added latency p99, AOT", "<= 0.5 ms", $"{Warm["aot"].Added.P99:0.000} ms", Warm["aot"].Added.P99 <= 0.5),
        new($"peak RSS after {Invocations} invocations, AOT", "<= 48 MB", $"{Warm["aot"].PeakRssMb:0.0} MB", Warm["aot"].PeakRssMb <= 48),
        new("bootstrap size", "<= 20 MB", $"{BootstrapMb:0.0} MB", BootstrapMb <= 20),
    ];

    /// <summary>The figures as JSON, with exactly the keys the issue names (ms and MiB, 3 decimals).</summary>
    public string ToJson()
    {
        JsonObject PerContender(Func<string, JsonNode> figure) => new(Contenders.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)figure(c.Key))));
        var root = new JsonObject
        {
            ["coldStartMs"] = PerContender(k => new JsonObject { ["median"] = R(Cold[k].Total.Median), ["p90"] = R(Cold[k].Total.P90) }),
            ["warmMs"] = PerContender(k => new JsonObject { ["p50"] = R(Warm[k].Duration.P50), ["p99"] = R(Warm[k].Duration.P99) }),
            ["warmAddedMs"] = PerContender(k => new JsonObject { ["p50"] = R(Warm[k].Added.P50), ["p99"] = R(Warm[k].Added.P99) }),
            ["peakRssMb"] = PerContender(k => JsonValue.Create(R(Warm[k].PeakRssMb))),
            ["bootstrapMb"] = R(BootstrapMb),
            ["ratios"] = new JsonObject { ["coldAotToJit"] = R(ColdAotToJit), ["coldAotToNode"] = R(ColdAotToNode) },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static double R(double value) => Math.Round(value, 3);
}
