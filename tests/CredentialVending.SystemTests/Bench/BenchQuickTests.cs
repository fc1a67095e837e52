using System.Diagnostics;
using System.Text.Json;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Bench;

/// <summary>
/// The benchmark harness still runs end to end: `--quick --out FILE` exits 0 and writes every figure the issue names.
/// Never a timed test: no figure is compared with anything, only checked to be there and above zero.
/// </summary>
public sealed class BenchQuickTests
{
    private static readonly string[] Contenders = ["aot", "jit", "node", "brokered"];

    [Fact]
    public async Task A_quick_benchmark_run_writes_every_figure()
    {
        var json = Path.Combine(Path.GetTempPath(), $"credvend-bench-{Guid.NewGuid():N}.json");
        // Its own artifacts folder, so the harness's Release build never races this test run's build outputs.
        var start = new ProcessStartInfo("dotnet",
            ["run", "-c", "Release", "--project", "bench", "--artifacts-path", Path.Combine("bench", ".build", "artifacts-harness"),
             "--", "--quick", "--out", json])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(20)))
        {
            await process.WaitForExitAsync(limit.Token);
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        using var figures = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        File.Delete(json);
        var root = figures.RootElement;
        foreach (var contender in Contenders)
        {
            Positive(root, output, "coldStartMs", contender, "median");
            Positive(root, output, "coldStartMs", contender, "p90");
            Positive(root, output, "warmMs", contender, "p50");
            Positive(root, output, "warmMs", contender, "p99");
            Positive(root, output, "warmAddedMs", contender, "p50");
            Positive(root, output, "warmAddedMs", contender, "p99");
            Positive(root, output, "peakRssMb", contender);
            Positive(root, output, "cpuPerVendMs", contender);
        }

        // The critical path net of the emulators' own time, and each backend's own time per exchange, beside the gross figure.
        foreach (var contender in (string[])["aot", "node", "brokered"])
        {
            Positive(root, output, "criticalPathNetMs", contender);
            Positive(root, output, "backendExchangeMs", contender, "dynamodb");
            Positive(root, output, "backendExchangeMs", contender, "sts");
        }

        foreach (var contender in (string[])["aot", "node"])
        {
            Positive(root, output, "criticalPathMs", contender);
            foreach (var memory in (string[])["128", "256", "512", "1024"])
            {
                Positive(root, output, "modelledBilledMs", contender, memory);
            }
        }

        // The brokered contender's critical path holds its KMS Sign; its warm p50 is set against aot's.
        Positive(root, output, "criticalPathMs", "brokered");
        Positive(root, output, "ratios", "warmBrokeredToAot");
        Positive(root, output, "floorMs", "aot", "p50");
        Positive(root, output, "floorMs", "aot", "p99");
        Positive(root, output, "injectedRoundTripMs", "dynamodb");
        Positive(root, output, "injectedRoundTripMs", "sts");
        Positive(root, output, "injectedRoundTripMs", "kms");

        Positive(root, output, "bootstrapMb");
        Positive(root, output, "ratios", "coldAotToJit");
        Positive(root, output, "ratios", "coldAotToNode");
    }

    private static void Positive(JsonElement root, string output, params string[] path)
    {
        var node = root;
        foreach (var step in path)
        {
            Assert.True(node.TryGetProperty(step, out node), $"{string.Join('.', path)} is missing.\n{output}");
        }

        Assert.True(node.ValueKind == JsonValueKind.Number && node.GetDouble() > 0, $"{string.Join('.', path)} is {node}.\n{output}");
    }
}
