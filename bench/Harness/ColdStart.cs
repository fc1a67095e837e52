using CredentialVending.Local.Lambda;

namespace CredentialVending.Bench.Harness;

/// <summary>One cold start: process start to the first <c>/next</c> (init), then the first vend's duration.</summary>
public sealed record ColdSample(double InitMs, double FirstInvokeMs)
{
    /// <summary>Process start to the first vend answer: docs/performance.md's cold start figure.</summary>
    public double TotalMs => InitMs + FirstInvokeMs;
}

public sealed record ColdResult(Stats Init, Stats FirstInvoke, Stats Total, int JwksFetches);

/// <summary>
/// Launches each contender from a fresh process for one vend invocation, as Lambda does on a cold start: the event is
/// queued before the process starts, so the first <c>/next</c> takes it at once, and the fresh process fetches the
/// issuer's discovery document and JWKS. Launches are interleaved (aot, jit, node, aot...) so that the shared
/// machine's noise falls on all three alike; one unmeasured launch of each first warms the OS page cache.
/// </summary>
public static class ColdStart
{
    public static async Task<IReadOnlyDictionary<string, ColdResult>> RunAsync(
        BenchCloud cloud, IReadOnlyList<Contender> contenders, int launches, Action<string> progress)
    {
        var tokens = contenders.ToDictionary(c => c.Key, c => cloud.Token(cloud.TenantFor(c)));
        foreach (var contender in contenders)
        {
            await LaunchOnceAsync(cloud, contender, tokens[contender.Key]);
        }

        progress($"cold: primed each contender once; now {launches} launches each, interleaved");
        var samples = contenders.ToDictionary(c => c.Key, _ => new List<ColdSample>());
        var fetches = contenders.ToDictionary(c => c.Key, _ => 0);
        for (var i = 0; i < launches; i++)
        {
            var line = new List<string>();
            foreach (var contender in contenders)
            {
                var before = cloud.Issuer.JwksFetchCount;
                var sample = await LaunchOnceAsync(cloud, contender, tokens[contender.Key]);
                fetches[contender.Key] += cloud.Issuer.JwksFetchCount - before;
                samples[contender.Key].Add(sample);
                line.Add($"{contender.Key} {sample.TotalMs:0.0} ms (init {sample.InitMs:0.0} + first {sample.FirstInvokeMs:0.0})");
            }

            progress($"cold {i + 1}/{launches}: {string.Join(", ", line)}");
        }

        return samples.ToDictionary(
            s => s.Key,
            s => new ColdResult(new Stats(s.Value.Select(x => x.InitMs)), new Stats(s.Value.Select(x => x.FirstInvokeMs)), new Stats(s.Value.Select(x => x.TotalMs)), fetches[s.Key]));
    }

    private static async Task<ColdSample> LaunchOnceAsync(BenchCloud cloud, Contender contender, string token)
    {
        var log = new RecentLines();
        var payload = cloud.VendEvent(token, cloud.TenantFor(contender));
        InvocationResult result;
        await using (var instance = await FunctionInstance.StartAsync(cloud.Launch(contender), log.Add))
        {
            result = await instance.InvokeAsync(payload);
        }

        VendAnswer.Require(result, $"{contender.Key} cold start (log: {log})");
        return new ColdSample(result.InitDuration?.TotalMilliseconds ?? throw new InvalidOperationException("No init duration was reported."), result.Duration.TotalMilliseconds);
    }
}

/// <summary>The last lines a function wrote, kept to explain a failure.</summary>
public sealed class RecentLines
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > 20)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join(" | ", _lines);
        }
    }
}
