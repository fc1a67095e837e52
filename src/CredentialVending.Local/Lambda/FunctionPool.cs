using System.Collections.Concurrent;

namespace CredentialVending.Local.Lambda;

/// <summary>
/// The execution environments of one function, scaled as Lambda scales them: an invocation takes a warm idle
/// environment (the most recently used first), or starts a new one when all are busy, up to <see cref="MaxInstances"/>;
/// past that, invocations wait their turn (where Lambda would throttle at its concurrency limit). An environment whose
/// process died (a crash, a timeout) is dropped and the next invocation starts a fresh one, as with Lambda.
/// </summary>
public sealed class FunctionPool : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly FunctionLaunch _launch;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _capacity;
    private readonly ConcurrentStack<FunctionInstance> _idle = new();
    private readonly ConcurrentDictionary<int, FunctionInstance> _live = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _started;

    /// <param name="launch">How to start one environment.</param>
    /// <param name="maxInstances">How many environments may run at once (Lambda's concurrency for this function).</param>
    /// <param name="log">Every line the environments write, REPORT lines included.</param>
    public FunctionPool(FunctionLaunch launch, int maxInstances, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInstances, 1);
        _launch = launch;
        _log = log;
        MaxInstances = maxInstances;
        _capacity = new SemaphoreSlim(maxInstances, maxInstances);
    }

    public string FunctionName => _launch.FunctionName;

    public int MaxInstances { get; }

    /// <summary>How many environments this pool has started so far (cold starts).</summary>
    public int InstancesStarted => Volatile.Read(ref _started);

    /// <summary>The process ids of the environments alive now.</summary>
    public IReadOnlyList<int> ProcessIds => [.. _live.Keys];

    /// <summary>Raised with the process id of each environment started (for the run command's --verbose).</summary>
    public event Action<FunctionPool, int>? InstanceStarted;

    /// <summary>Runs one invocation in a free environment, starting one if none is free and the limit allows.</summary>
    public async Task<InvocationResult> InvokeAsync(byte[] payload, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await _capacity.WaitAsync(linked.Token).ConfigureAwait(false);
        FunctionInstance? instance = null;
        try
        {
            instance = await TakeIdleAsync().ConfigureAwait(false) ?? await StartAsync(linked.Token).ConfigureAwait(false);
            return await instance.InvokeAsync(payload, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            if (instance is not null)
            {
                if (instance.HasExited)
                {
                    await RetireAsync(instance).ConfigureAwait(false);
                }
                else
                {
                    _idle.Push(instance);
                }
            }

            _capacity.Release();
        }
    }

    private async Task<FunctionInstance?> TakeIdleAsync()
    {
        while (_idle.TryPop(out var instance))
        {
            if (!instance.HasExited)
            {
                return instance;
            }

            await RetireAsync(instance).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<FunctionInstance> StartAsync(CancellationToken cancellationToken)
    {
        var instance = await FunctionInstance.StartAsync(_launch, _log, cancellationToken).ConfigureAwait(false);
        _live[instance.ProcessId] = instance;
        Interlocked.Increment(ref _started);
        InstanceStarted?.Invoke(this, instance.ProcessId);
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ready.CancelAfter(ReadyTimeout);

        // An init failure is not thrown here: the invocation then reports it, as Lambda answers an invoke after a failed init.
        await instance.WaitReadyAsync(ready.Token).ConfigureAwait(false);
        return instance;
    }

    private async Task RetireAsync(FunctionInstance instance)
    {
        if (_live.TryRemove(instance.ProcessId, out _))
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var instance in _live.Values)
        {
            await RetireAsync(instance).ConfigureAwait(false);
        }

        _idle.Clear();
        _stopping.Dispose();
    }
}
