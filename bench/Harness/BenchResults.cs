using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CredentialVending.Bench.Harness;

/// <summary>One docs/performance.md target, judged against this run's figure.</summary>
public sealed record Target(string Figure, string Goal, string Measured, bool Met);

/// <summary>The round trips the timing proxies added to every DynamoDB, STS and KMS exchange of the warm runs, in ms.</summary>
public sealed record InjectedRoundTrips(double DynamoDbMs, double StsMs, double KmsMs = 0);

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
    TimeSpan Elapsed,
    InjectedRoundTrips RoundTrips)
{
    /// <summary>The contenders whose billed duration is modelled: the product and the peer it is compared with.</summary>
    public static readonly string[] Billed = ["aot", "node"];

    /// <summary>A vend's least waiting: the tenant read and rate counter together, STS, then the lease write.</summary>
    public double LeastWaitingMs => (2 * RoundTrips.DynamoDbMs) + RoundTrips.StsMs;

    public double CpuAotToNode => Warm["aot"].CpuMsPerVend / Warm["node"].CpuMsPerVend;

    public double ModelledBilledMs(string contender, int memoryMb) =>
        Billing.BilledMs(Warm[contender].Waiting.P50, Warm[contender].CpuMsPerVend, memoryMb);

    public double ColdAotToJit => Cold["aot"].Total.Median / Cold["jit"].Total.Median;
    public double ColdAotToNode => Cold["aot"].Total.Median / Cold["node"].Total.Median;

    /// <summary>The brokered mode's warm duration against the plain AOT one (p50s): what the KMS round trip costs.</summary>
    public double WarmBrokeredToAot => Warm[BenchCloud.Brokered].Duration.P50 / Warm["aot"].Duration.P50;

    public IReadOnlyList<Target> Targets =>
    [
        new("cold start, AOT vs the same code JIT (medians)", "<= 0.2x", $"{ColdAotToJit:0.000}x", ColdAotToJit <= 0.2),
        new("cold start, AOT vs the Node.js peer (medians)", "<= 0.4x", $"{ColdAotToNode:0.000}x", ColdAotToNode <= 0.4),
        new("warm added latency p99, AOT", "<= 0.5 ms", $"{Warm["aot"].Added.P99:0.000} ms", Warm["aot"].Added.P99 <= 0.5),
        new("warm added latency p50, AOT, vs the floor's p50", "<= 3x", $"{Warm["aot"].Added.P50 / Warm["aot"].Floor!.P50:0.00}x", Warm["aot"].Added.P50 <= 3 * Warm["aot"].Floor!.P50),
        new("CPU per warm vend, AOT", "<= 0.5 ms", $"{Warm["aot"].CpuMsPerVend:0.000} ms", Warm["aot"].CpuMsPerVend <= 0.5),
        new("CPU per warm vend, AOT vs the Node.js peer", "<= 0.1x", $"{CpuAotToNode:0.000}x", CpuAotToNode <= 0.1),
        // One DynamoDB round trip before STS, STS, the lease write: a second round trip before STS would add one more. Judged
        // net of the emulators' own time (docs/performance.md): dynalite's 1.5 ms an exchange is not a round trip of ours.
        new("critical path with injected round trips, AOT (median waiting net of the emulators' own time)", $"one DynamoDB round trip + STS + the lease write ({LeastWaitingMs:0} ms), under {LeastWaitingMs + RoundTrips.DynamoDbMs:0} ms",
            $"{Warm["aot"].WaitingNet.P50:0.000} ms (gross {Warm["aot"].Waiting.P50:0.000} ms)", Warm["aot"].WaitingNet.P50 < LeastWaitingMs + RoundTrips.DynamoDbMs),
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
            ["ratios"] = new JsonObject { ["coldAotToJit"] = R(ColdAotToJit), ["coldAotToNode"] = R(ColdAotToNode), ["cpuAotToNode"] = R(CpuAotToNode), ["warmBrokeredToAot"] = R(WarmBrokeredToAot) },
            ["cpuPerVendMs"] = PerContender(k => JsonValue.Create(R(Warm[k].CpuMsPerVend))),
            ["floorMs"] = new JsonObject { ["aot"] = new JsonObject { ["p50"] = R(Warm["aot"].Floor!.P50), ["p99"] = R(Warm["aot"].Floor!.P99) } },
            ["criticalPathMs"] = new JsonObject(Billed.Append(BenchCloud.Brokered).Select(k => KeyValuePair.Create(k, (JsonNode?)R(Warm[k].Waiting.P50)))),
            ["modelledBilledMs"] = new JsonObject(Billed.Select(k => KeyValuePair.Create(k, (JsonNode?)new JsonObject(
                Billing.MemorySizesMb.Select(mb => KeyValuePair.Create(mb.ToString(CultureInfo.InvariantCulture), (JsonNode?)R(ModelledBilledMs(k, mb)))))))),
            ["costPerMillionUsd"] = new JsonObject(Billed.Select(k => KeyValuePair.Create(k, (JsonNode?)new JsonObject(
                Billing.MemorySizesMb.Select(mb => KeyValuePair.Create(mb.ToString(CultureInfo.InvariantCulture), (JsonNode?)R(Billing.CostPerMillion(ModelledBilledMs(k, mb), mb)))))))),
            ["priceSource"] = Billing.PriceSource,
            // The critical path split: the injected round trips alone, and each backend's own time per exchange.
            ["criticalPathNetMs"] = new JsonObject(Billed.Append(BenchCloud.Brokered).Select(k => KeyValuePair.Create(k, (JsonNode?)R(Warm[k].WaitingNet.P50)))),
            ["backendExchangeMs"] = new JsonObject(Billed.Append(BenchCloud.Brokered).Select(k => KeyValuePair.Create(k, (JsonNode?)new JsonObject
            {
                ["dynamodb"] = R(Warm[k].Exchanges[0].Backend.P50),
                ["sts"] = R(Warm[k].Exchanges[1].Backend.P50),
            }))),
            ["injectedRoundTripMs"] = new JsonObject { ["dynamodb"] = R(RoundTrips.DynamoDbMs), ["sts"] = R(RoundTrips.StsMs), ["kms"] = R(RoundTrips.KmsMs) },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static double R(double value) => Math.Round(value, 3);
}
