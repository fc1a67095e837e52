using System.Diagnostics;

namespace CredentialVending.Bench.Harness;

/// <summary>
/// `--profile`: the AOT bootstrap's warm run with `perf record` attached to the function's process after its first
/// invocation, and `perf report`'s flat profile (self time by symbol; perf finds bootstrap.dbg beside the binary) written
/// beside the reports. What a vend spends its CPU on, to know what to remove.
/// </summary>
public static class Profile
{
    public static async Task<string> RunAsync(BenchCloud cloud, Contender aot, int invocations, Action<string> progress)
    {
        var data = Path.Combine(Builds.BuildRoot, "perf.data");
        Process? perf = null;
        await WarmRun.RunAsync(cloud, aot, invocations, progress, async pid =>
        {
            perf = Process.Start(new ProcessStartInfo("perf", ["record", "-F", "2999", "-g", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", data])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            }) ?? throw new InvalidOperationException("perf did not start.");
            await Task.Delay(TimeSpan.FromSeconds(1));
        });

        // perf record stops on SIGINT and writes its file; the function process has gone by now, which ends it too.
        if (perf is not null)
        {
            await perf.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        }

        // By thread first (the pool's workers, the socket engine's epoll thread, the timer): what runs while a vend waits;
        // then the flat profile, self time by symbol.
        var text = await ReportAsync(data, ["--sort", "comm", "--percent-limit", "0.1"])
            + await ReportAsync(data, ["--sort", "dso,symbol", "--percent-limit", "0.4"]);
        progress($"profile: {text.Split('\n').Length} lines");
        return text;
    }

    private static async Task<string> ReportAsync(string data, string[] sort)
    {
        var report = new ProcessStartInfo("perf", ["report", "-i", data, "--stdio", "--no-children", "-g", "none", .. sort])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var reading = Process.Start(report) ?? throw new InvalidOperationException("perf report did not start.");
        var text = await reading.StandardOutput.ReadToEndAsync();
        await reading.WaitForExitAsync();
        return text;
    }
}
