using System.Diagnostics;
using System.Text;

namespace CredentialVending.SystemTests.Clients;

/// <summary>What a client program did: its exit code and everything it printed.</summary>
public sealed record ClientRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// Runs a client program as a developer's shell would, but with a clean AWS environment: every AWS_ and CREDVEND_
/// variable of the test run is dropped and only the ones a test names are set, so a client can only have found its
/// credentials where the test put them (and never in a developer's own ~/.aws).
/// </summary>
public static class ClientProcess
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMinutes(2);

    // An install (chromium with its dependencies is some 300 MB) can take many minutes, and one killed half way leaves
    // the package database for the next run to repair: setup gets a long time.
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(20);

    public static Task<ClientRun> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        RunAsync(fileName, arguments, environment, workingDirectory, ClientTimeout);

    private static async Task<ClientRun> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? workingDirectory, TimeSpan timeLimit)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("CREDVEND_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        // No shared files of the developer's, and no probe of the instance metadata address.
        var empty = Path.Combine(Path.GetTempPath(), "credvend-no-such-aws-file");
        start.Environment["AWS_CONFIG_FILE"] = empty;
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = empty;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(timeLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeLimit}: {await stderr}");
        }

        return new ClientRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a setup command (an install, a build) and fails with everything it printed when it fails.</summary>
    public static async Task SetupAsync(string description, string fileName, IEnumerable<string> arguments, string workingDirectory, Action<string> log)
    {
        log($"{description}: {fileName} {string.Join(' ', arguments)} (in {workingDirectory})");
        var run = await RunAsync(fileName, arguments, new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" }, workingDirectory, SetupTimeout);
        var tail = new StringBuilder().AppendLine(run.Stdout.Length > 4000 ? run.Stdout[^4000..] : run.Stdout).Append(run.Stderr).ToString();
        log(tail);
        Assert.True(run.ExitCode == 0, $"{description} failed: {fileName} {string.Join(' ', arguments)} exited {run.ExitCode}\n{tail}");
    }
}
