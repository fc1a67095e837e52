using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Local;

/// <summary>
/// The built run command (the CredentialVending.Local executable) in a child process, as a user starts it: waits for its
/// ready line, keeps what it prints, and interrupts it as Ctrl-C does. It serves the bootstrap this test run built
/// (<c>--bootstrap</c>), so the test does not build a second copy of the functions in Release.
/// </summary>
public sealed class RunCommandProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunCommandProcess(Process process) => _process = process;

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <param name="options">More of the run command's options.</param>
    /// <param name="environment">Variables to set (null: unset) for it, as a user would export them first.</param>
    public static async Task<RunCommandProcess> StartAsync(int port, string folder, IReadOnlyList<string>? options = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var configuration = LocalCloud.Bootstrap.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var executable = Path.Combine(RepositoryPaths.Root, "src", "CredentialVending.Local", "bin", configuration, "net10.0", "CredentialVending.Local");
        var start = new ProcessStartInfo(executable,
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bootstrap", LocalCloud.Bootstrap, "--data", Path.Combine(folder, "dynamo"), "--verbose", .. options ?? []])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var run = new RunCommandProcess(Process.Start(start)!);
        run._process.OutputDataReceived += (_, e) => run.Received(e.Data);
        run._process.ErrorDataReceived += (_, e) => run.Received(e.Data is null ? null : "stderr: " + e.Data);
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
        var exited = run._process.WaitForExitAsync();
        var done = await Task.WhenAny(run._ready.Task, exited, Task.Delay(StartTimeout));
        Assert.True(done == run._ready.Task, "The run command was not ready:\n" + string.Join('\n', run.Lines));
        return run;
    }

    /// <summary>The processes whose parent is the run command, from /proc.</summary>
    public IReadOnlyList<int> ChildProcessIds()
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Status(pid, "PPid") == _process.Id.ToString(CultureInfo.InvariantCulture))
            {
                children.Add(pid);
            }
        }

        return children;
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does, and answers the exit code.</summary>
    /// <remarks>A process started in the background by a non-interactive shell inherits SIGINT ignored (and .NET keeps it
    /// so); a test run launched that way can only ask with SIGTERM, which the run command treats the same.</remarks>
    public async Task<int> InterruptAsync()
    {
        var ignored = Convert.ToUInt64(Status(_process.Id, "SigIgn") ?? "0", 16);
        using (var kill = Process.Start("kill", [(ignored & 0b10) != 0 ? "-TERM" : "-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>What a printed line holds between two markers (to its end when the second is missing).</summary>
    public static string Between(string line, string before, string after)
    {
        var start = line.IndexOf(before, StringComparison.Ordinal) + before.Length;
        var end = line.IndexOf(after, start, StringComparison.Ordinal);
        return end < 0 ? line[start..] : line[start..end];
    }

    /// <summary>Alive: its /proc entry is there and it is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid) => Status(pid, "State") is { } state && !state.StartsWith('Z');

    private static string? Status(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line?[(field.Length + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        if (line.StartsWith(ReadyScreen.ReadyPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
