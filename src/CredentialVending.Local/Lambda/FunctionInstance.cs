using System.Diagnostics;
using System.Globalization;

namespace CredentialVending.Local.Lambda;

/// <summary>
/// One execution environment: a bootstrap child process under its own loopback Runtime API, serving one
/// invocation at a time, as Lambda runs a function. Every line the process writes goes to the log sink.
/// </summary>
public sealed class FunctionInstance : IAsyncDisposable
{
    private readonly FunctionLaunch _launch;
    private readonly RuntimeApiServer _api;
    private readonly Process _process;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly long _startedAt;
    private TimeSpan? _initDuration;
    private bool _reportedInit;

    private FunctionInstance(FunctionLaunch launch, RuntimeApiServer api, Process process, Action<string> log, long startedAt)
    {
        _launch = launch;
        _api = api;
        _process = process;
        _log = log;
        _startedAt = startedAt;
    }

    public int ProcessId => _process.Id;

    /// <summary>The <c>AWS_LAMBDA_RUNTIME_API</c> this instance was given (<c>127.0.0.1:PORT</c>).</summary>
    public string RuntimeApiAddress => _api.Address;
    public bool HasExited => _process.HasExited;
    public bool Busy => _oneAtATime.CurrentCount == 0;

    /// <summary>The body of the init error the runtime reported, if it reported one.</summary>
    public string? InitError => _api.InitError.IsCompletedSuccessfully ? _api.InitError.Result : null;

    public static async Task<FunctionInstance> StartAsync(FunctionLaunch launch, Action<string> log, CancellationToken cancellationToken = default)
    {
        var api = await RuntimeApiServer.StartAsync(cancellationToken).ConfigureAwait(false);
        api.FunctionArn = $"arn:aws:lambda:{launch.Region}:123456789012:function:{launch.FunctionName}";
        var start = new ProcessStartInfo(launch.BootstrapPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(launch.BootstrapPath),
        };
        var env = start.Environment;
        foreach (var key in launch.RemoveInherited)
        {
            env.Remove(key);
        }

        env["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        env["_HANDLER"] = launch.Handler;
        env["AWS_LAMBDA_FUNCTION_NAME"] = launch.FunctionName;
        env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = launch.MemorySizeMb.ToString(CultureInfo.InvariantCulture);
        env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + launch.FunctionName;
        env["AWS_LAMBDA_LOG_STREAM_NAME"] = $"{DateTimeOffset.UtcNow:yyyy/MM/dd}/[$LATEST]{Guid.NewGuid():N}";
        env["LAMBDA_TASK_ROOT"] = Path.GetDirectoryName(launch.BootstrapPath) ?? ".";
        env["AWS_REGION"] = launch.Region;
        env["AWS_DEFAULT_REGION"] = launch.Region;
        env["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023";
        env["AWS_EC2_METADATA_DISABLED"] = "true";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in launch.Environment)
        {
            env[key] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{launch.BootstrapPath} did not start.");
        var instance = new FunctionInstance(launch, api, process, log, startedAt);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => api.FailPending("Runtime.ExitError", "The runtime exited before answering.");
        _ = api.FirstNext.ContinueWith(_ => instance._initDuration = Stopwatch.GetElapsedTime(startedAt), TaskScheduler.Default);
        return instance;
    }

    /// <summary>Waits until the runtime asks for its first event, or reports an init error, or exits.</summary>
    public async Task<bool> WaitReadyAsync(CancellationToken cancellationToken)
    {
        var exited = _process.WaitForExitAsync(cancellationToken);
        var done = await Task.WhenAny(_api.FirstNext, _api.InitError, exited).ConfigureAwait(false);
        return done == _api.FirstNext;
    }

    public async Task<InvocationResult> InvokeAsync(byte[] payload, CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var requestId = Guid.NewGuid().ToString();
            if (_process.HasExited)
            {
                return new InvocationResult(requestId, null, "Runtime.ExitError", InitError ?? $$"""{"errorMessage":"The runtime exited with code {{_process.ExitCode}}."}""", TimeSpan.Zero, null);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_launch.Timeout);
            (byte[]? Response, string? ErrorType, string? ErrorBody, TimeSpan Duration) answer;
            try
            {
                answer = await _api.InvokeAsync(requestId, payload, _launch.Timeout, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // As Lambda does: a function past its timeout is stopped, and its environment with it.
                _process.Kill(entireProcessTree: true);
                answer = (null, "Sandbox.Timedout", $$"""{"errorMessage":"Task timed out after {{_launch.Timeout.TotalSeconds:0.00}} seconds"}""", _launch.Timeout);
            }

            var init = _reportedInit ? null : _initDuration;
            _reportedInit = true;
            Report(requestId, answer.Duration, init);
            return new InvocationResult(requestId, answer.Response, answer.ErrorType, answer.ErrorBody, answer.Duration, init);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private void Report(string requestId, TimeSpan duration, TimeSpan? init)
    {
        var memory = MaxMemoryUsedMb();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"REPORT RequestId: {requestId}\tDuration: {duration.TotalMilliseconds:0.00} ms\tBilled Duration: {Math.Ceiling(duration.TotalMilliseconds + (init?.TotalMilliseconds ?? 0)):0} ms\tMemory Size: {_launch.MemorySizeMb} MB\tMax Memory Used: {memory} MB");
        if (init is { } cold)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"\tInit Duration: {cold.TotalMilliseconds:0.00} ms");
        }

        _log(line);
    }

    /// <summary>The peak resident set size of the process (VmHWM), as Lambda's "Max Memory Used".</summary>
    public long MaxMemoryUsedMb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return (kb + 1023) / 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        await _api.DisposeAsync().ConfigureAwait(false);
        _oneAtATime.Dispose();
    }
}
