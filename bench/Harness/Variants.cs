using System.Globalization;
using System.Text;

namespace CredentialVending.Bench.Harness;

/// <summary>
/// `--variants`: A/B runs of the AOT bootstrap, interleaved: each round runs every variant once, in a fresh process, so
/// the machine's drift (other builds on a shared machine) falls on every variant alike, and the report gives each
/// round's CPU per vend beside the median. A variant is a bootstrap under bench/.build and an environment:
/// <list type="bullet">
/// <item>build-time settings (GC flavour, ILC's optimization preference) are bootstraps published beforehand, one folder
/// each: <c>dotnet publish src/CredentialVending.Functions -c Release -r linux-x64 -p:ServerGarbageCollector=true -o
/// bench/.build/aot-server-gc --artifacts-path bench/.build/artifacts-aot-server-gc</c>; a folder that is missing is
/// reported as not run;</item>
/// <item>an older commit's bootstrap kept as <c>bench/.build/aot-before</c> compares a code change;</item>
/// <item>runtime settings are <c>DOTNET_</c> variables, and one variant waits on the injected round trips.</item>
/// </list>
/// Peak RSS shows whether a GC setting took: server heaps and a larger gen0 budget hold more memory.
/// </summary>
public static class Variants
{
    private sealed record Variant(string Name, string Folder, Dictionary<string, string> Environment, bool RoundTrips = false);

    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private const string HillClimbing = "DOTNET_HillClimbing_Disable";

    // 2026-12-02: inline socket completions measured -19 % CPU per vend but were taken back out of the bootstrap after
    // a brokered vend stalled 3.5 s with them on (bench/results/2026-12-02-changes-tried.md); they stay a variant here.
    private static readonly Variant[] All =
    [
        new("as built", "aot", []),
        new("as built, socket completions inline (" + InlineCompletions + "=1)", "aot", new() { [InlineCompletions] = "1" }),
        new("the commit before (bench/.build/aot-before)", "aot-before", []),
        new("as built, round trips injected (DynamoDB 4 ms, STS 15 ms)", "aot", [], RoundTrips: true),
        new("as built, round trips injected, socket completions inline (" + InlineCompletions + "=1)", "aot", new() { [InlineCompletions] = "1" }, RoundTrips: true),
        new("the commit before, round trips injected", "aot-before", [], RoundTrips: true),
        new("as built, round trips injected, no hill climbing (" + HillClimbing + "=1)", "aot", new() { [HillClimbing] = "1" }, RoundTrips: true),
    ];

    public static async Task<string> RunAsync(BenchCloud cloud, Contender aot, int invocations, int rounds, InjectedRoundTrips roundTrips, Action<string> progress)
    {
        var present = All.Where(v => File.Exists(Bootstrap(v))).ToArray();
        var results = present.ToDictionary(v => v, _ => new List<WarmResult>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var variant in present)
            {
                var extra = new Dictionary<string, string>(aot.ExtraEnvironment);
                foreach (var (key, value) in variant.Environment)
                {
                    extra[key] = value;
                }

                cloud.DynamoProxy.RoundTrip = variant.RoundTrips ? TimeSpan.FromMilliseconds(roundTrips.DynamoDbMs) : TimeSpan.Zero;
                cloud.StsProxy.RoundTrip = variant.RoundTrips ? TimeSpan.FromMilliseconds(roundTrips.StsMs) : TimeSpan.Zero;
                var w = await WarmRun.RunAsync(cloud, aot with { BootstrapPath = Bootstrap(variant), ExtraEnvironment = extra }, invocations, _ => { });
                results[variant].Add(w);
                progress($"round {round}/{rounds}, {variant.Name}: CPU per vend {w.CpuMsPerVend:0.000} ms, RSS {w.PeakRssMb:0.0} MiB");
            }
        }

        cloud.DynamoProxy.RoundTrip = TimeSpan.Zero;
        cloud.StsProxy.RoundTrip = TimeSpan.Zero;
        return Table(results, rounds, invocations) + Missing(present);
    }

    private static string Bootstrap(Variant variant) => Path.Combine(Builds.BuildRoot, variant.Folder, "bootstrap");

    private static string Table(Dictionary<Variant, List<WarmResult>> results, int rounds, int invocations)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{rounds} rounds of {invocations} warm vends per variant, interleaved.\n\n");
        s.Append("| AOT variant | bootstrap (bytes) | CPU per vend, median (ms) | each round (ms) | added p50 | waiting p50 (net of the emulators) | DynamoDB exchanges per vend, each p50 (backend's own) | STS exchanges per vend, each p50 (backend's own) | peak RSS (MiB) | anonymous + file-backed RSS after (MiB), threads | CPU to the first answer, median (ms) | floor CPU per invocation, median (ms) |\n");
        s.Append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var (variant, runs) in results)
        {
            var last = runs[^1];
            var exchanges = last.Exchanges.Select(e => $"{e.PerVend:0.00}, {e.Each.P50:0.000} ({e.Backend.P50:0.000})").ToArray();
            s.Append(CultureInfo.InvariantCulture, $"| {variant.Name} | {new FileInfo(Bootstrap(variant)).Length:N0} | {new Stats(runs.Select(r => r.CpuMsPerVend)).Median:0.000} | ");
            s.Append(string.Join(", ", runs.Select(r => r.CpuMsPerVend.ToString("0.000", CultureInfo.InvariantCulture))));
            s.Append(CultureInfo.InvariantCulture, $" | {new Stats(runs.Select(r => r.Added.P50)).Median:0.000} | {new Stats(runs.Select(r => r.Waiting.P50)).Median:0.000} ({new Stats(runs.Select(r => r.WaitingNet.P50)).Median:0.000}) | {exchanges[0]} | {exchanges[1]} | {runs.Max(r => r.PeakRssMb):0.0} | {last.Memory.AnonMb:0.0} + {last.Memory.FileMb:0.0}, {last.Memory.Threads} | {new Stats(runs.Select(r => r.ColdCpuMs)).Median:0.0} | {new Stats(runs.Select(r => r.FloorCpuMs)).Median:0.000} |\n");
        }

        return s.ToString();
    }

    private static string Missing(Variant[] present)
    {
        var missing = All.Except(present).Select(v => $"- not run (no bench/.build/{v.Folder}/bootstrap): {v.Name}\n").ToArray();
        return missing.Length == 0 ? string.Empty : "\n" + string.Concat(missing);
    }
}
