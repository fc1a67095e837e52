using System.Diagnostics;
using System.Globalization;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Bench.Harness;

/// <summary>Where and on what a run was made: a figure means little without it.</summary>
public sealed record Machine(int Cores, string CpuModel, double MemoryGiB, string Kernel, string DotnetVersion, string NodeVersion, string Commit)
{
    public static async Task<Machine> DescribeAsync()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        var commit = await OutputAsync("git", "rev-parse", "--short=12", "HEAD");
        // Other work in progress is common in this tree: say so, since the bootstrap was built from it.
        var dirty = (await OutputAsync("git", "status", "--porcelain", "--", "src", "Directory.Build.props", "Directory.Packages.props")).Length > 0;
        return new Machine(
            Environment.ProcessorCount, cpu, memKb / 1024.0 / 1024.0, "Linux " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            Environment.Version.ToString(), await OutputAsync("node", "--version"), dirty ? commit + " + uncommitted changes in src/" : commit);
    }

    private static async Task<string> OutputAsync(string file, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
