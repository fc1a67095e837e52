using System.Diagnostics;
using System.Globalization;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Lambda;

namespace CredentialVending.Bench.Harness;

/// <param name="Duration">The Runtime API's duration of each invocation (event handed out to answer received), in ms.</param>
/// <param name="Added">Duration minus the time spent waiting on STS, DynamoDB and KMS, in ms.</param>
/// <param name="Waiting">The time spent waiting on STS, DynamoDB and KMS (brokered only), in ms.</param>
/// <param name="PeakRssMb">VmHWM of the process after the run.</param>
/// <param name="JwksFetches">Issuer fetches during the measured invocations (0 expected: the keys are cached).</param>
/// <param name="CpuMsPerVend">The function process's CPU time (user + system) over the run, per invocation.</param>
/// <param name="Floor">The same process answering 404 to an unknown path (no STS, no DynamoDB): the Runtime API round
/// trip and routing, the part of every duration that no vend logic can remove. Null for the Node.js peer, which routes nothing.</param>
public sealed record WarmResult(Stats Duration, Stats Added, Stats Waiting, double PeakRssMb, int JwksFetches, double CpuMsPerVend, Stats? Floor)
{
    /// <summary>Each proxy's exchanges (DynamoDB, then STS): how many a vend made, how long each took end to end, and how
    /// much of that was the backend's own (after the injected round trip), in ms.</summary>
    public ExchangeFigures[] Exchanges { get; init; } = [];

    /// <summary>The waiting of each vend net of the backends' own time: the injected round trips alone (with their timers'
    /// lateness), what a vend waits on where DynamoDB and STS answer at once after the network. Zero when none is injected.</summary>
    public Stats WaitingNet { get; init; } = new([0]);

    /// <summary>CPU per floor invocation (ns-resolution schedstat), in ms: two Runtime API exchanges and routing, no SDK
    /// call; set against CPU per vend it prices the HTTP exchange apart from the SDK. Zero for the Node.js peer.</summary>
    public double FloorCpuMs { get; init; }

    /// <summary>The process's CPU time from its start through its first (cold) invocation, in ms, at nanosecond resolution.</summary>
    public double ColdCpuMs { get; init; }

    /// <summary>What the resident memory is after the run (/proc/PID/status): anonymous (heaps, stacks) and file-backed
    /// (the mapped binary and libraries) MiB, and the threads, which explain a change in peak RSS.</summary>
    public (double AnonMb, double FileMb, int Threads) Memory { get; init; }
}

/// <param name="PerVend">Exchanges per vend.</param>
/// <param name="Each">Each exchange end to end, as the function waited on it (ms).</param>
/// <param name="Backend">Each exchange's backend part: from the request forwarded to the last response byte, the
/// emulator's own time and one loopback hop, without the injected round trip (ms).</param>
public sealed record ExchangeFigures(double PerVend, Stats Each, Stats Backend);

/// <summary>
/// Many vend invocations, one after another, in one process. The first (cold) one is not measured. Invocations are
/// sequential, so every exchange the timing proxies note between the harness handing an event over and getting the
/// answer back belongs to that invocation; their union is the time spent waiting.
/// </summary>
public static class WarmRun
{
    /// <param name="warmedUp">Told the process id once the first invocation is answered (`--profile` attaches perf there).</param>
    public static async Task<WarmResult> RunAsync(BenchCloud cloud, Contender contender, int invocations, Action<string> progress, Func<int, Task>? warmedUp = null)
    {
        var tenantId = cloud.TenantFor(contender);
        var token = cloud.Token(tenantId);
        var log = new RecentLines();
        await using var instance = await FunctionInstance.StartAsync(cloud.Launch(contender), log.Add);
        VendAnswer.Require(await instance.InvokeAsync(cloud.VendEvent(token, tenantId)), $"{contender.Key} first invocation (log: {log})");
        var coldCpu = ThreadsCpuMs(instance.ProcessId);
        if (warmedUp is not null)
        {
            await warmedUp(instance.ProcessId);
        }

        var durations = new double[invocations];
        var waiting = new double[invocations];
        var waitingNet = new double[invocations];
        var dynamoExchanges = new List<ProxyExchange>();
        var stsExchanges = new List<ProxyExchange>();
        var fetchesBefore = cloud.Issuer.JwksFetchCount;
        cloud.DynamoProxy.Drain();
        cloud.StsProxy.Drain();
        cloud.KmsProxy.Drain();
        var cpuBefore = CpuMs(instance.ProcessId);
        for (var i = 0; i < invocations; i++)
        {
            var payload = cloud.VendEvent(token, tenantId);
            var from = Stopwatch.GetTimestamp();
            var result = await instance.InvokeAsync(payload);
            var to = Stopwatch.GetTimestamp();
            VendAnswer.Require(result, $"{contender.Key} warm invocation {i + 1} (log: {log})");
            var dynamo = cloud.DynamoProxy.Drain();
            var sts = cloud.StsProxy.Drain();
            // The brokered contender's KMS Sign is waiting like the others; the other contenders make none.
            var exchanges = dynamo.Concat(sts).Concat(cloud.KmsProxy.Drain()).ToArray();
            dynamoExchanges.AddRange(dynamo);
            stsExchanges.AddRange(sts);
            durations[i] = result.Duration.TotalMilliseconds;
            waiting[i] = Stats.CoveredTicks(exchanges.Select(e => e.Whole), from, to) * 1000.0 / Stopwatch.Frequency;
            waitingNet[i] = Stats.CoveredTicks(exchanges.Select(e => e.Injected), from, to) * 1000.0 / Stopwatch.Frequency;
            if ((i + 1) % 500 == 0 || i + 1 == invocations)
            {
                progress($"warm {contender.Key}: {i + 1}/{invocations}, p50 so far {new Stats(durations.Take(i + 1)).P50:0.000} ms");
            }
        }

        var cpu = (CpuMs(instance.ProcessId) - cpuBefore) / invocations;
        var peak = PeakRssMb(instance.ProcessId);
        var added = durations.Zip(waiting, (d, w) => Math.Max(0, d - w));
        var floorCpuBefore = ThreadsCpuMs(instance.ProcessId);
        var floorInvocations = Math.Max(100, invocations / 4);
        var floor = contender.Key == "node" ? null : await FloorAsync(instance, floorInvocations);
        var floorCpu = floor is null ? 0 : (ThreadsCpuMs(instance.ProcessId) - floorCpuBefore) / floorInvocations;
        return new WarmResult(new Stats(durations), new Stats(added), new Stats(waiting), peak, cloud.Issuer.JwksFetchCount - fetchesBefore, cpu, floor)
        {
            ColdCpuMs = coldCpu,
            Memory = (StatusValue(instance.ProcessId, "RssAnon:") / 1024.0, StatusValue(instance.ProcessId, "RssFile:") / 1024.0, (int)StatusValue(instance.ProcessId, "Threads:")),
            Exchanges = [.. new[] { dynamoExchanges, stsExchanges }.Select(e => new ExchangeFigures(
                (double)e.Count / invocations,
                new Stats(e.Select(x => Milliseconds(x.Start, x.End)).DefaultIfEmpty(0)),
                new Stats(e.Select(x => Milliseconds(x.Forwarded, x.End)).DefaultIfEmpty(0))))],
            WaitingNet = new Stats(waitingNet),
            FloorCpuMs = floorCpu,
        };
    }

    private static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static async Task<Stats> FloorAsync(FunctionInstance instance, int invocations)
    {
        var durations = new List<double>(invocations);
        for (var i = 0; i < invocations; i++)
        {
            var result = await instance.InvokeAsync(HttpApiEvent.Create(new HttpApiRequest { Method = "GET", Path = "/nowhere" }, DateTimeOffset.UtcNow));
            var answer = VendAnswer.Read(result);
            durations.Add(answer.Status == 404 ? result.Duration.TotalMilliseconds : throw new InvalidOperationException($"The unknown path answered {answer.Status} {answer.Body}"));
        }

        return new Stats(durations);
    }

    /// <summary>User + system CPU time of a process so far, in ms (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms).</summary>
    public static double CpuMs(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>
    /// The CPU time of a process's live threads, in ms: /proc/PID/task/*/schedstat's first field, in ns, where /proc/PID/stat
    /// counts 10 ms ticks, too coarse for one cold start. (A thread that has ended is not counted; at the first answer the
    /// runtime's threads are all alive.)
    /// </summary>
    public static double ThreadsCpuMs(int processId) =>
        Directory.EnumerateDirectories($"/proc/{processId}/task")
            .Sum(task => long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture)) / 1e6;

    /// <summary>The process's peak resident set size (VmHWM), in MiB: what Lambda reports as Max Memory Used.</summary>
    public static double PeakRssMb(int processId) => StatusValue(processId, "VmHWM:") / 1024.0;

    /// <summary>A number of /proc/PID/status (kB for the memory lines).</summary>
    private static long StatusValue(int processId, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no {name}");
    }
}
