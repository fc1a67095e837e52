using System.Diagnostics;
using System.Globalization;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Support;

/// <summary>
/// moto's server (Python, pinned in tests/requirements.txt) on a free loopback port: a stand-in for the real
/// DynamoDB and STS of an AWS account, which no test here can reach. It checks no signature and no trust policy.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private readonly Process _process;

    private MotoServer(Process process, Uri endpoint) => (_process, Endpoint) = (process, endpoint);

    public Uri Endpoint { get; }

    public static async Task<MotoServer> StartAsync()
    {
        var port = LoopbackWebApp.FreePort();
        var start = new ProcessStartInfo(await PythonTools.InterpreterAsync(), ["-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Python did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var moto = new MotoServer(process, new Uri($"http://127.0.0.1:{port}"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(200))
        {
            Assert.False(process.HasExited, "moto's server exited at start.");
            try
            {
                using var answer = await http.GetAsync(new Uri(moto.Endpoint, "/moto-api/"));
                return moto;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }

        await moto.DisposeAsync();
        throw new TimeoutException("moto's server did not answer within 60 s.");
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
