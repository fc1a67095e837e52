using System.Diagnostics;

namespace CredentialVending.Local.Hosting;

/// <summary>
/// Builds the bootstrap the run command serves, with the .NET SDK, as a developer would by hand: the JIT apphost by
/// default (`dotnet build -c Release`, incremental, seconds), or the Native AOT executable that Lambda runs
/// (`dotnet publish -r linux-x64`, with its own artifacts folder in .local so it never races an IDE's build).
/// </summary>
public static class BootstrapBuild
{
    public static Task<string> JitAsync(Action<string> progress, CancellationToken cancellationToken) =>
        RunAsync(["build", RepositoryPaths.FunctionsProject, "-c", "Release"], RepositoryPaths.JitBootstrap("Release"), progress, cancellationToken);

    public static Task<string> AotAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var output = Path.Combine(RepositoryPaths.LocalData, "aot");
        return RunAsync(
            ["publish", RepositoryPaths.FunctionsProject, "-c", "Release", "-r", "linux-x64",
             "--artifacts-path", Path.Combine(RepositoryPaths.LocalData, "aot-artifacts"), "-o", output],
            Path.Combine(output, "bootstrap"), progress, cancellationToken);
    }

    private static async Task<string> RunAsync(string[] arguments, string bootstrap, Action<string> progress, CancellationToken cancellationToken)
    {
        progress("dotnet " + string.Join(' ', arguments.Select(a => a.Replace(RepositoryPaths.Root + "/", string.Empty, StringComparison.Ordinal))));
        var start = new ProcessStartInfo("dotnet", [.. arguments, "-nologo", "-v", "minimal", "-clp:NoSummary"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) progress("  " + e.Data.Trim()); };
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) progress("  " + e.Data.Trim()); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0 || !File.Exists(bootstrap))
        {
            throw new InvalidOperationException($"The bootstrap did not build (dotnet exited with {process.ExitCode}); the lines above say why.");
        }

        return bootstrap;
    }
}
