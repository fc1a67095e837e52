using System.IO.Compression;
using System.Text;
using CredentialVending.SystemTests.Clients;

namespace CredentialVending.SystemTests.Support;

/// <summary>
/// A folder with a wheel made here (so pip needs no index) and a venv that two environments filled from it at once.
/// The machine's python3 makes the venv, as on a fresh machine.
/// </summary>
public sealed class FixtureVenv : IAsyncLifetime
{
    public const string Distribution = "credvend-fixture";
    private readonly string _root = Directory.CreateTempSubdirectory("credvend-python-").FullName;

    public string Wheels => Path.Combine(_root, "wheels");
    public string Venv => Path.Combine(_root, "venv");
    public string Requirements => Path.Combine(_root, "requirements.txt");
    public IReadOnlyList<string> Interpreters { get; private set; } = [];
    public IReadOnlyList<string> Logs { get; private set; } = [];

    public IReadOnlyList<string> PipOptions => ["--no-index", "--find-links", Wheels];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Wheels);
        WriteWheel(Path.Combine(Wheels, "credvend_fixture-1.0.0-py3-none-any.whl"));
        await File.WriteAllTextAsync(Requirements, $"# a fixture\n{Distribution}==1.0.0\n");

        // Two at once, as two test projects would: the lock lets one make the venv and the other use it.
        var logs = new[] { new List<string>(), new List<string>() };
        var resolved = await Task.WhenAll(logs.Select(log =>
            new PythonTools(Requirements, Venv, pipOptions: PipOptions).ResolveAsync(line => { lock (log) { log.Add(line); } }, CancellationToken.None)));
        Interpreters = resolved;
        Logs = [.. logs.SelectMany(l => l)];
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    // A pure-Python wheel is a zip with the package and a .dist-info folder (PEP 427); pip takes a RECORD without hashes.
    private static void WriteWheel(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var files = new Dictionary<string, string>
        {
            ["credvend_fixture/__init__.py"] = "VALUE = 'from the fixture wheel'\n",
            ["credvend_fixture-1.0.0.dist-info/METADATA"] = "Metadata-Version: 2.1\nName: credvend-fixture\nVersion: 1.0.0\n",
            ["credvend_fixture-1.0.0.dist-info/WHEEL"] = "Wheel-Version: 1.0\nGenerator: credvend-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        };
        files["credvend_fixture-1.0.0.dist-info/RECORD"] = string.Concat(files.Keys.Select(k => k + ",,\n")) + "credvend_fixture-1.0.0.dist-info/RECORD,,\n";
        foreach (var (name, text) in files)
        {
            using var entry = zip.CreateEntry(name).Open();
            entry.Write(Encoding.UTF8.GetBytes(text));
        }
    }
}

/// <summary>PythonTools: the machine's interpreter when it has every pin, else a venv filled by pip, made once under a lock.</summary>
public sealed class PythonToolsTests(FixtureVenv fixture) : IClassFixture<FixtureVenv>
{
    [Fact]
    public async Task A_pin_the_machines_python_lacks_leads_to_a_venv_whose_python_has_it()
    {
        Assert.All(fixture.Interpreters, python => Assert.Equal(Path.Combine(fixture.Venv, "bin", "python"), python));
        Assert.Contains(fixture.Logs, l => l.Contains($"python3 lacks {FixtureVenv.Distribution}==1.0.0: not installed", StringComparison.Ordinal));

        var run = await ClientProcess.RunAsync(fixture.Interpreters[0], ["-c", "import credvend_fixture; print(credvend_fixture.VALUE)"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("from the fixture wheel", run.Stdout.Trim());
    }

    [Fact]
    public void Two_environments_asking_at_once_make_the_venv_once()
    {
        Assert.Single(fixture.Logs, l => l.StartsWith("Creating the virtual environment", StringComparison.Ordinal));
        Assert.Single(fixture.Logs, l => l.StartsWith("Installing the Python tools", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_interpreter_that_has_every_pin_is_used_as_it_is_and_no_venv_is_made()
    {
        var unused = Path.Combine(Path.GetDirectoryName(fixture.Venv)!, "unused-venv");
        var log = new List<string>();

        var python = await new PythonTools(fixture.Requirements, unused, machinePython: Path.Combine(fixture.Venv, "bin", "python")).ResolveAsync(log.Add, CancellationToken.None);

        Assert.Equal(Path.Combine(fixture.Venv, "bin", "python"), python);
        Assert.False(Directory.Exists(unused));
        Assert.DoesNotContain(log, l => l.Contains("pip", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pin_pip_cannot_install_fails_naming_pip_and_the_requirements()
    {
        var requirements = Path.Combine(Path.GetDirectoryName(fixture.Venv)!, "unreachable.txt");
        await File.WriteAllTextAsync(requirements, "credvend-nowhere==9.9.9\n");

        var failed = await Assert.ThrowsAnyAsync<Exception>(() =>
            new PythonTools(requirements, fixture.Venv, pipOptions: fixture.PipOptions).ResolveAsync(_ => { }, CancellationToken.None));

        Assert.Contains("with pip failed", failed.Message, StringComparison.Ordinal);
        Assert.Contains(requirements, failed.Message, StringComparison.Ordinal);
        Assert.Contains("credvend-nowhere==9.9.9", failed.Message, StringComparison.Ordinal);
    }
}
