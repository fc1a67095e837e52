using System.Globalization;
using System.Text;

namespace CredentialVending.Bench.Harness;

/// <summary>
/// `--variants`: the AOT bootstrap's warm run again under runtime GC settings that need no rebuild (Native AOT reads the
/// <c>DOTNET_</c> GC variables at start, as the JIT runtime does), each in a fresh process, one after another, so their
/// CPU per vend and memory can be compared. Peak RSS shows that a setting took: server GC and a large gen0 budget each
/// hold more memory. <c>IlcOptimizationPreference</c> is a compiler setting: that variant is published again with it.
/// </summary>
public static class Variants
{
    private static readonly (string Name, Dictionary<string, string> Environment)[] All =
    [
        ("as built (workstation, non-concurrent GC)", []),
        ("gen0 budget 4 MiB (DOTNET_GCgen0size=0x400000)", new() { ["DOTNET_GCgen0size"] = "0x400000" }),
        ("gen0 budget 32 MiB (DOTNET_GCgen0size=0x2000000)", new() { ["DOTNET_GCgen0size"] = "0x2000000" }),
        ("concurrent GC (DOTNET_gcConcurrent=1)", new() { ["DOTNET_gcConcurrent"] = "1" }),
        ("server GC (DOTNET_gcServer=1)", new() { ["DOTNET_gcServer"] = "1" }),
        ("IlcOptimizationPreference=Speed (published again with it)", []),
        ("as built, again (the drift of the machine over the runs)", []),
    ];

    public static async Task<string> RunAsync(BenchCloud cloud, Contender aot, int invocations, Action<string> progress)
    {
        var s = new StringBuilder();
        s.Append("| AOT variant | CPU per vend (ms) | added p50 | added p99 | duration p50 | peak RSS (MiB) |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var (name, environment) in All)
        {
            var extra = new Dictionary<string, string>(aot.ExtraEnvironment);
            foreach (var (key, value) in environment)
            {
                extra[key] = value;
            }

            var contender = aot with { ExtraEnvironment = extra };
            if (name.StartsWith("IlcOptimizationPreference", StringComparison.Ordinal))
            {
                contender = contender with { BootstrapPath = await Builds.PublishAotVariantAsync("aot-speed", ["-p:IlcOptimizationPreference=Speed"], progress) };
            }

            var w = await WarmRun.RunAsync(cloud, contender, invocations, progress);
            progress($"variant {name}: CPU per vend {w.CpuMsPerVend:0.000} ms, RSS {w.PeakRssMb:0.0} MiB");
            s.Append(CultureInfo.InvariantCulture, $"| {name} | {w.CpuMsPerVend:0.000} | {w.Added.P50:0.000} | {w.Added.P99:0.000} | {w.Duration.P50:0.000} | {w.PeakRssMb:0.0} |\n");
        }

        return s.ToString();
    }
}
