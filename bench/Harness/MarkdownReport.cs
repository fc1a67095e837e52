using System.Globalization;
using System.Text;

namespace CredentialVending.Bench.Harness;

/// <summary>The run as a markdown report: the machine, each figure, the targets met or missed, and how it was measured.</summary>
public static class MarkdownReport
{
    private static void BillingSection(BenchResults r, Action<string> line, Func<double, string, string> f)
    {
        var rt = r.RoundTrips;
        line($"## What Lambda would bill a warm vend (round trips injected: DynamoDB {f(rt.DynamoDbMs, "0.###")} ms, STS {f(rt.StsMs, "0.###")} ms, KMS {f(rt.KmsMs, "0.###")} ms)");
        line(string.Empty);
        line($"Critical path = the median waiting per vend in the warm run above (least possible: {f(r.LeastWaitingMs, "0.###")} ms, one DynamoDB round");
        line("trip before STS, STS, the lease write); modelled billed duration = waiting + CPU per vend / (memory / 1,769 MB).");
        line($"Price: {Billing.PriceSource}.");
        line("Net = the critical path less the backends' own time (each exchange from the request forwarded after its injected");
        line("round trip to the last response byte: dynalite's and the STS emulator's work, not a round trip); the target is judged on it.");
        line(string.Empty);
        line("| contender | critical path | net of the emulators | DynamoDB, STS backend's own p50 per exchange | CPU per vend | " + string.Join(" | ", Billing.MemorySizesMb.Select(mb => $"billed at {mb} MB ($ per million)")) + " |");
        line("| --- | --- | --- | --- | --- |" + string.Concat(Billing.MemorySizesMb.Select(_ => " --- |")));
        foreach (var key in BenchResults.Billed)
        {
            var w = r.Warm[key];
            line($"| {key} | {f(w.Waiting.P50, "0.000")} | {f(w.WaitingNet.P50, "0.000")} | {f(w.Exchanges[0].Backend.P50, "0.000")}, {f(w.Exchanges[1].Backend.P50, "0.000")} | {f(w.CpuMsPerVend, "0.000")} | " + string.Join(" | ", Billing.MemorySizesMb.Select(mb =>
                $"{f(r.ModelledBilledMs(key, mb), "0.00")} ms (${f(Billing.CostPerMillion(r.ModelledBilledMs(key, mb), mb), "0.00")})")) + " |");
        }

        line(string.Empty);
    }

    public static string Write(BenchResults r)
    {
        var m = r.Machine;
        var s = new StringBuilder();
        void Line(string text = "") => s.Append(text).Append('\n');
        string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

        Line($"# Benchmark: cold start, warm overhead and memory{(r.Quick ? " (quick smoke run: too few samples to quote)" : string.Empty)}");
        Line();
        Line($"- date: {r.Date:yyyy-MM-dd HH:mm} UTC; run took {r.Elapsed.TotalMinutes:0.0} min");
        Line($"- commit: {m.Commit}");
        Line($"- machine: {m.Cores} cores ({m.CpuModel}), {F(m.MemoryGiB, "0.0")} GiB memory, {m.Kernel}");
        Line($"- .NET {m.DotnetVersion} (harness), Node.js {m.NodeVersion}");
        Line("- the machine is shared: other builds and test runs may have been running at the same time, so treat");
        Line("  single figures as noisy; the ratios between contenders, measured interleaved, are the steadier part.");
        Line($"- command: `dotnet run -c Release --project bench{(r.Quick ? " -- --quick" : string.Empty)}`");
        Line();
        Line("| contender | what runs |");
        Line("| --- | --- |");
        foreach (var c in r.Contenders)
        {
            Line($"| {c.Key} | {c.Title}: `{Path.GetRelativePath(Local.Hosting.RepositoryPaths.Root, c.BootstrapPath)}` |");
        }

        Line();
        Line("## Targets (docs/performance.md)");
        Line();
        Line("| figure | target | measured | |");
        Line("| --- | --- | --- | --- |");
        foreach (var t in r.Targets)
        {
            Line($"| {t.Figure} | {t.Goal} | {t.Measured} | {(t.Met ? "met" : "**missed**")} |");
        }

        Line();
        Line($"## Cold start ({r.Launches} launches each, ms)");
        Line();
        Line("| contender | init median | first vend median | **total median** | total p90 | total min | total max | JWKS fetches |");
        Line("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var c in r.Contenders)
        {
            var x = r.Cold[c.Key];
            Line($"| {c.Key} | {F(x.Init.Median)} | {F(x.FirstInvoke.Median)} | **{F(x.Total.Median)}** | {F(x.Total.P90)} | {F(x.Total.Min)} | {F(x.Total.Max)} | {x.JwksFetches} |");
        }

        Line();
        Line($"Ratios of the total medians: AOT / JIT = {F(r.ColdAotToJit, "0.000")}, AOT / Node.js = {F(r.ColdAotToNode, "0.000")}.");
        Line();
        Line($"## Warm ({r.Invocations} sequential vends in one process, ms)");
        Line();
        Line("| contender | p50 | p90 | p99 | waiting p50 | added p50 | added p90 | **added p99** | CPU per vend | peak RSS (MiB) | JWKS fetches |");
        Line("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var c in r.Contenders)
        {
            var w = r.Warm[c.Key];
            Line($"| {c.Key} | {F(w.Duration.P50, "0.000")} | {F(w.Duration.P90, "0.000")} | {F(w.Duration.P99, "0.000")} | {F(w.Waiting.P50, "0.000")} | {F(w.Added.P50, "0.000")} | {F(w.Added.P90, "0.000")} | **{F(w.Added.P99, "0.000")}** | {F(w.CpuMsPerVend, "0.000")} | {F(w.PeakRssMb, "0.0")} | {w.JwksFetches} |");
        }

        Line();
        Line($"Brokered / AOT warm p50 = {F(r.WarmBrokeredToAot, "0.000")}: the brokered tenant's extra KMS Sign (one injected round trip, {F(r.RoundTrips.KmsMs, "0.###")} ms)");
        Line("and the token minted around it, with AssumeRoleWithWebIdentity in place of AssumeRole.");
        Line();
        Line("Floor: the same process answering 404 to an unknown path right after, with no STS or DynamoDB call: the Runtime");
        Line("API round trip (both ends) and routing, which every invocation pays whatever the vend logic does.");
        Line();
        Line("| contender | floor p50 | floor p99 | floor CPU per invocation |");
        Line("| --- | --- | --- | --- |");
        foreach (var c in r.Contenders.Where(c => r.Warm[c.Key].Floor is not null))
        {
            Line($"| {c.Key} | {F(r.Warm[c.Key].Floor!.P50, "0.000")} | {F(r.Warm[c.Key].Floor!.P99, "0.000")} | {F(r.Warm[c.Key].FloorCpuMs, "0.000")} |");
        }

        Line();
        Line($"AOT `bootstrap`: {F(r.BootstrapMb, "0.00")} MiB (symbols apart, in bootstrap.dbg).");
        Line();
        BillingSection(r, Line, F);
        Line("## Throughput through the API Gateway emulator (vends per second; client-side p50 in ms)");
        Line();
        var levels = r.Throughput.Values.First().Select(l => l.Concurrency).ToArray();
        Line("| contender | " + string.Join(" | ", levels.Select(l => $"concurrency {l}")) + " | environments started |");
        Line("| --- |" + string.Concat(levels.Select(_ => " --- |")) + " --- |");
        foreach (var c in r.Contenders)
        {
            var t = r.Throughput[c.Key];
            Line($"| {c.Key} | " + string.Join(" | ", t.Select(l => $"{F(l.VendsPerSecond, "0")}/s (p50 {F(l.Latency.P50)})")) + $" | {t[^1].Environments} |");
        }

        Line();
        Line("N HTTP clients send vends through CredentialVending.Local's API Gateway emulator, which runs one execution");
        Line("environment (process) per request in flight, as Lambda scales; clients ramp up one at a time first, so each level");
        Line("is measured warm. On 2 cores, the harness, the emulators and dynalite (one Node.js process) share the CPU with");
        Line("the functions: these figures compare the contenders with each other, not with what Lambda would sustain.");
        Line();
        Line("## How it was measured");
        Line();
        Line("- Every contender runs under CredentialVending.Local's loopback Lambda Runtime API with the same environment,");
        Line("  against the same dynalite, STS emulator and development OIDC issuer, vending for one tenant onboarded through");
        Line("  the AOT admin function: `POST /v1/tenants/{t}/credentials` with `{\"scopes\":[\"files:read\"],\"durationSeconds\":900}`");
        Line("  (JWT check, tenant read with the rate counter of a tenant limited to 1,000,000 a minute, AssumeRole, conditional");
        Line("  lease write). Every answer is checked: 200 with credentials.");
        Line("- Cold start = init (process start to the first `/next`) + the first invocation's duration (event handed out to");
        Line("  answer received), from a fresh process with the event already queued, a new discovery + JWKS fetch included.");
        Line("  Launches are interleaved across contenders; one unmeasured launch of each comes first.");
        Line("- Warm: the first invocation is not measured. Waiting is measured by byte-level TCP timing proxies in front of");
        Line("  dynalite and STS: each HTTP exchange runs from the first request byte read to the last response byte written");
        Line("  back; the union of the exchanges inside an invocation is its waiting time; added = duration - waiting.");
        Line("  Added therefore includes the function's own work plus its share of loopback and scheduler wake-ups, and the");
        Line("  Runtime API emulator's (Kestrel) handling of `/next` and `/response`.");
        Line("- CPU per vend is the function process's user + system time (/proc/PID/stat) over the warm run, divided by");
        Line("  the invocations: the work the function itself does, whatever the machine's load did to the wall clock.");
        Line("- Peak RSS is VmHWM from /proc/PID/status after the warm run (Lambda's Max Memory Used).");
        Line("- brokered is the AOT bootstrap with the `BROKER_*` settings, vending for a second tenant of mode `brokered`: it");
        Line("  signs its own token with the KMS emulator (behind its own timing proxy, so Sign counts as waiting) and trades it");
        Line("  with AssumeRoleWithWebIdentity; STS read the issuer's discovery document and JWKS, which a warm vend function");
        Line("  served on loopback, once before any timing.");
        Line("- JIT is the same project published with `-p:PublishAot=false` (framework-dependent apphost, tiered JIT as");
        Line("  default). The Node.js peer is bench/baselines/node, run by aws-lambda-ric.");
        return s.ToString();
    }
}
