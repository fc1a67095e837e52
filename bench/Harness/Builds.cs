using System.Diagnostics;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Bench.Harness;

/// <summary>The things measured, one bootstrap each (brokered: the AOT one, for a brokered tenant).</summary>
public sealed record Contender(string Key, string Title, string BootstrapPath, IReadOnlyDictionary<string, string> ExtraEnvironment);

/// <summary>
/// Builds what is measured, each only when its inputs changed since the last build: the Native AOT bootstrap as docs/api.md
/// documents its publish, the same code published without AOT (JIT, an apphost named bootstrap), and the Node.js peer's
/// packages. Everything goes under bench/.build with its own artifacts folder, so it never races the tree's bin/ and obj/.
/// </summary>
public static class Builds
{
    public static string BuildRoot => Path.Combine(RepositoryPaths.Root, "bench", ".build");
    public static string NodePeer => Path.Combine(RepositoryPaths.Root, "bench", "baselines", "node");

    /// <param name="aotOnly">`--variants` and `--profile` measure the AOT bootstrap alone: the JIT publish and the
    /// Node.js peer's install would only cost the shared machine minutes.</param>
    public static async Task<IReadOnlyList<Contender>> PrepareAsync(Action<string> progress, bool aotOnly = false)
    {
        var aot = Path.Combine(BuildRoot, "aot");
        var jit = Path.Combine(BuildRoot, "jit");
        await PublishAsync("aot", aot, ["-r", "linux-x64"], progress);
        if (aotOnly)
        {
            return [new("aot", "C# Native AOT", Path.Combine(aot, "bootstrap"), new Dictionary<string, string>())];
        }

        // The same project without PublishAot: a framework-dependent apphost, as `dotnet build` leaves it.
        await PublishAsync("jit", jit, ["-p:PublishAot=false"], progress);
        await InstallNodePeerAsync(progress);
        return
        [
            new("aot", "C# Native AOT", Path.Combine(aot, "bootstrap"), new Dictionary<string, string>()),
            new("jit", "C# JIT (same code)", Path.Combine(jit, "bootstrap"), new Dictionary<string, string>()),
            new("node", "Node.js peer (jose + AWS SDK v3, aws-lambda-ric)", Path.Combine(NodePeer, "bootstrap"), new Dictionary<string, string>
            {
                ["LAMBDA_TASK_ROOT"] = NodePeer,
                ["AWS_EXECUTION_ENV"] = "AWS_Lambda_nodejs20.x",
            }),
            // Last, so that aot's figures are measured as before it existed; BenchCloud adds its BROKER_* settings.
            new(BenchCloud.Brokered, "C# Native AOT, brokered tenant (KMS Sign, then AssumeRoleWithWebIdentity)", Path.Combine(aot, "bootstrap"), new Dictionary<string, string>()),
        ];
    }

    /// <summary>The AOT bootstrap published again with extra MSBuild properties (for `--variants`), under its own name.</summary>
    public static async Task<string> PublishAotVariantAsync(string name, string[] properties, Action<string> progress)
    {
        var output = Path.Combine(BuildRoot, name);
        await PublishAsync(name, output, ["-r", "linux-x64", .. properties], progress);
        return Path.Combine(output, "bootstrap");
    }

    private static async Task PublishAsync(string name, string output, string[] extra, Action<string> progress)
    {
        var stamp = Path.Combine(BuildRoot, name + ".stamp");
        if (File.Exists(stamp) && File.Exists(Path.Combine(output, "bootstrap")) && File.GetLastWriteTimeUtc(stamp) > NewestSource())
        {
            progress($"{name}: bootstrap up to date ({output})");
            return;
        }

        progress($"{name}: publishing src/CredentialVending.Functions -> {output} ...");
        var started = Stopwatch.StartNew();
        await RunAsync("dotnet", RepositoryPaths.Root,
            ["publish", Path.Combine("src", "CredentialVending.Functions"), "-c", "Release", .. extra, "-o", output,
             "--artifacts-path", Path.Combine(BuildRoot, "artifacts-" + name), "-nologo", "-clp:NoSummary"]);
        await File.WriteAllTextAsync(stamp, DateTimeOffset.UtcNow.ToString("O"));
        progress($"{name}: published in {started.Elapsed.TotalSeconds:0} s");
    }

    private static async Task InstallNodePeerAsync(Action<string> progress)
    {
        // aws-lambda-ric builds its native Runtime API client (curl, aws-lambda-cpp) on install: minutes, so only once.
        if (File.Exists(Path.Combine(NodePeer, "node_modules", "aws-lambda-ric", "rapid-client.node")))
        {
            progress("node: node_modules present");
        }
        else
        {
            progress("node: npm ci (aws-lambda-ric compiles its native client: a few minutes) ...");
            await RunAsync("npm", NodePeer, ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
        }

        // git keeps the mode, but a copy made otherwise may not. (The harness reads /proc: Linux only, as Lambda.)
        var bootstrap = Path.Combine(NodePeer, "bootstrap");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(bootstrap, File.GetUnixFileMode(bootstrap) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    private static DateTime NewestSource()
    {
        var src = new DirectoryInfo(Path.Combine(RepositoryPaths.Root, "src"));
        var files = src.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => !f.FullName.Contains("/bin/", StringComparison.Ordinal) && !f.FullName.Contains("/obj/", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props" }.Select(n => new FileInfo(Path.Combine(RepositoryPaths.Root, n))).Where(f => f.Exists));
        return files.Max(f => f.LastWriteTimeUtc);
    }

    private static async Task RunAsync(string file, string directory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{file} {string.Join(' ', arguments)}` failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }
}
