using System.ComponentModel;
using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Clients;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Support;

/// <summary>
/// The Python interpreter the tests run their Python tools with (cfn-lint, moto's server, openapi-spec-validator, the
/// AWS CLI, boto3): the machine's python3 where it already has every pin of a requirements file, else a virtual
/// environment made from that python3 and filled by pip. The venv is made under a file lock, since test projects and
/// test runs may ask at the same time, and kept (git-ignored) for the next run.
/// </summary>
/// <param name="requirements">The requirements file (name[extras]==version lines).</param>
/// <param name="venv">Where the virtual environment goes when the machine's python3 is not enough.</param>
/// <param name="machinePython">The interpreter to try first, and to make the venv with.</param>
/// <param name="pipOptions">Added to pip install (the tests of this class point pip at a local wheel folder).</param>
public sealed class PythonTools(string requirements, string venv, string machinePython = "python3", IReadOnlyList<string>? pipOptions = null)
{
    // importlib.metadata (Python 3.8+), standard library only: every distribution the interpreter sees, as JSON.
    private const string Probe =
        "import importlib.metadata as m, json\n" +
        "print(json.dumps([{'name': d.metadata['Name'], 'version': d.version, 'requires': d.requires or []} for d in m.distributions() if d.metadata['Name']]))";

    /// <summary>cfn-lint's console script as arguments to the interpreter: the cfnlint package has no __main__.</summary>
    public static readonly IReadOnlyList<string> CfnLint = ["-c", "import sys; from cfnlint.runner import main; sys.exit(main())"];

    private static readonly TimeSpan LockPatience = TimeSpan.FromMinutes(30);

    private static readonly Lazy<Task<string>> ForTests = new(() =>
        new PythonTools(Path.Combine(RepositoryPaths.Root, "tests", "requirements.txt"), Path.Combine(RepositoryPaths.Root, "tests", ".venv"))
            .ResolveAsync(Report, CancellationToken.None));

    /// <summary>The venv's own interpreter.</summary>
    public string VenvPython => Path.Combine(venv, "bin", "python");

    /// <summary>The interpreter for tests/requirements.txt, decided (and the venv made, when needed) once per test run.</summary>
    public static Task<string> InterpreterAsync() => ForTests.Value;

    /// <summary>Decides the interpreter, making or completing the venv when the machine's python3 lacks a pin.</summary>
    public async Task<string> ResolveAsync(Action<string> log, CancellationToken cancellationToken)
    {
        var pinned = PythonRequirements.Load(requirements);
        var lacking = await MissingAsync(machinePython, pinned);
        if (lacking.Count == 0)
        {
            log($"Python tools: {machinePython} has every pin of {requirements}");
            return machinePython;
        }

        Assert.False(lacking.Any(l => l.StartsWith(machinePython + " cannot be started", StringComparison.Ordinal)),
            $"The tests' Python tools need a Python 3 with its venv module as {machinePython}: {string.Join("; ", lacking)}");
        await using var held = await LockAsync(venv + ".lock", log, cancellationToken);

        // Another test project may have made the venv while this one waited for the lock.
        var inVenv = File.Exists(VenvPython) ? await MissingAsync(VenvPython, pinned) : ["no venv yet"];
        if (inVenv.Count == 0)
        {
            log($"Python tools: {VenvPython} (the machine's {machinePython} lacks {string.Join("; ", lacking)})");
            return VenvPython;
        }

        log($"Python tools: {machinePython} lacks {string.Join("; ", lacking)}: installing {requirements} into {venv}");
        if (!File.Exists(VenvPython) || inVenv.Any(l => l.StartsWith(VenvPython, StringComparison.Ordinal)))
        {
            await ClientProcess.SetupAsync($"Creating the virtual environment {venv} (Python 3 with its venv module is needed; Debian: apt-get install python3-venv)",
                machinePython, ["-m", "venv", "--clear", venv], RepositoryPaths.Root, log);
        }

        await ClientProcess.SetupAsync($"Installing the Python tools of {requirements} into {venv} (for {string.Join("; ", lacking)}) with pip",
            VenvPython, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", requirements, .. pipOptions ?? []], RepositoryPaths.Root, log);
        var still = await MissingAsync(VenvPython, pinned);
        Assert.True(still.Count == 0, $"pip installed {requirements} into {venv}, yet it still lacks {string.Join("; ", still)}");
        log($"Python tools: {VenvPython} is ready");
        return VenvPython;
    }

    // dotnet test shows nothing a passing test prints, and making the venv can take minutes: a developer's terminal,
    // when there is one, sees each step as it starts.
    private static void Report(string line)
    {
        Console.WriteLine(line);
        try
        {
            using var terminal = new StreamWriter("/dev/tty");
            terminal.WriteLine(line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No terminal (CI): the console has the line, and a failure says which step failed and what it printed.
        }
    }

    /// <summary>What an interpreter lacks of the pins; when it cannot be asked at all, that is the one thing it lacks.</summary>
    private static async Task<IReadOnlyList<string>> MissingAsync(string python, IReadOnlyList<PinnedRequirement> pinned)
    {
        ClientRun probe;
        try
        {
            probe = await ClientProcess.RunAsync(python, ["-c", Probe]);
        }
        catch (Win32Exception e)
        {
            return [$"{python} cannot be started ({e.Message})"];
        }

        if (probe.ExitCode != 0 || JsonNode.Parse(probe.Stdout) is not JsonArray listed)
        {
            return [$"{python} cannot list its packages (exit {probe.ExitCode}: {probe.Stderr.Trim()})"];
        }

        var installed = listed.OfType<JsonObject>().Select(d => new InstalledDistribution(
            d["name"]!.GetValue<string>(),
            d["version"]!.GetValue<string>(),
            [.. d["requires"]!.AsArray().Select(r => r!.GetValue<string>())])).ToArray();
        return PythonRequirements.Missing(pinned, installed);
    }

    // An exclusive open is an flock on Linux: held across processes, and let go when the process dies.
    private static async Task<FileStream> LockAsync(string path, Action<string> log, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (var said = false; ; said = true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockPatience)
            {
                if (!said)
                {
                    log($"Python tools: waiting for {path}, held by another test run making the venv");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }
}
