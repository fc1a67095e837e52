using System.Diagnostics;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Support;

/// <summary>
/// The Native AOT bootstrap, published once per test run exactly as docs/api.md documents
/// (`dotnet publish src/CredentialVending.Functions -c Release -r linux-x64 -o DIR`), with its own artifacts
/// folder so it never races the test run's own build outputs.
/// </summary>
public sealed class AotPublish : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "credvend-aot-" + Guid.NewGuid().ToString("N")[..8]);

    public string Output => Path.Combine(_root, "out");
    public string Bootstrap => Path.Combine(Output, "bootstrap");
    public string Log { get; private set; } = string.Empty;
    public int ExitCode { get; private set; }

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(RepositoryPaths.Root, "src", "CredentialVending.Functions"), "-c", "Release", "-r", "linux-x64", "-o", Output,
             "--artifacts-path", Path.Combine(_root, "artifacts"), "-nologo", "-clp:NoSummary"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Log = await stdout + await stderr;
        ExitCode = process.ExitCode;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
