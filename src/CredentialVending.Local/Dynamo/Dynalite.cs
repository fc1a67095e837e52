using System.Diagnostics;
using System.Globalization;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Local.Dynamo;

/// <summary>
/// dynalite (DynamoDB on LevelDB, from npm) in a node child process on a free loopback port.
/// Its data lives in <paramref name="dataPath"/> (one folder per process: LevelDB locks it), or in memory when null.
/// </summary>
public sealed class Dynalite : IAsyncDisposable
{
    // The module, not cli.js: `cli.js --port 0` binds 4567; the host is given, else dynalite listens on every interface.
    private const string Script = """
        const path = process.env.DYNALITE_PATH || undefined;
        const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path });
        server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
        process.stdin.on('end', () => process.exit(0));
        process.stdin.resume();
        """;

    private readonly Process _process;

    private Dynalite(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>The node process serving it.</summary>
    public int ProcessId => _process.Id;

    public static async Task<Dynalite> StartAsync(string? dataPath = null, CancellationToken cancellationToken = default)
    {
        var modules = Path.Combine(RepositoryPaths.Tools, "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "dynalite")))
        {
            throw new InvalidOperationException($"dynalite is not installed in {modules}: run `npm ci` in {RepositoryPaths.Tools} (the build of CredentialVending.Local does it when node is on PATH).");
        }

        var start = new ProcessStartInfo("node", ["-e", Script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Tools,
        };
        start.Environment["NODE_PATH"] = modules;
        if (dataPath is not null)
        {
            Directory.CreateDirectory(dataPath);
            start.Environment["DYNALITE_PATH"] = dataPath;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node (Node.js 20) is not on PATH; dynalite needs it.", e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                var port = int.Parse(line["LISTENING ".Length..], CultureInfo.InvariantCulture);
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new Dynalite(process, new Uri($"http://127.0.0.1:{port}"));
            }
        }

        var error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("dynalite did not start: " + error);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Closing stdin lets dynalite close LevelDB cleanly; a kill is the fallback.
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        _process.Dispose();
    }
}
