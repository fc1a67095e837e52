using System.Diagnostics;
using CredentialVending.Bench.Harness;
using CredentialVending.Local.Hosting;

// dotnet run -c Release --project bench -- [--quick] [--out FILE] [--dynamodb-rtt MS] [--sts-rtt MS] [--kms-rtt MS] [--variants] [--profile [--round-trips]]
// Cold start, warm overhead, throughput and memory of the AOT bootstrap, the same code JIT and the Node.js peer, and of
// the AOT bootstrap vending for a brokered tenant.
const string Usage = "usage: dotnet run -c Release --project bench -- [--quick] [--out FILE] [--dynamodb-rtt MS] [--sts-rtt MS] [--kms-rtt MS] [--variants] [--profile [--round-trips]]";
var quick = false;
var variants = false;
var profile = false;
var profileRoundTrips = false;
string? jsonPath = null;
// Same-region round trips as a function in a VPC-less Lambda sees them: DynamoDB a few ms, STS more (it signs and mints),
// KMS between the two (a same-region Sign with an RSA_2048 key: the private-key operation runs in KMS's HSMs).
var roundTrips = new InjectedRoundTrips(DynamoDbMs: 4, StsMs: 15, KmsMs: 8);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick")
    {
        quick = true;
    }
    else if (args[i] == "--variants")
    {
        variants = true;
    }
    else if (args[i] == "--profile")
    {
        profile = true;
    }
    else if (args[i] == "--round-trips")
    {
        // --profile waits on the injected round trips, as a vend on Lambda does: what the function runs while it waits.
        profileRoundTrips = true;
    }
    else if (args[i] == "--out" && i + 1 < args.Length)
    {
        jsonPath = Path.GetFullPath(args[++i]);
    }
    else if (args[i] is "--dynamodb-rtt" or "--sts-rtt" or "--kms-rtt" && i + 1 < args.Length
        && double.TryParse(args[i + 1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms >= 0)
    {
        roundTrips = args[i] switch
        {
            "--sts-rtt" => roundTrips with { StsMs = ms },
            "--kms-rtt" => roundTrips with { KmsMs = ms },
            _ => roundTrips with { DynamoDbMs = ms },
        };
        i++;
    }
    else
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

// 1. The sizes of the run: docs/performance.md's for a full run; a few seconds' worth for a smoke check.
var launches = quick ? 3 : 20;
var invocations = quick ? 200 : 2000;
// A smoke run skips concurrency 16: starting 16 JIT environments one by one alone takes most of a minute here.
int[] levels = quick ? [1, 4] : [1, 4, 16];
var perLevel = quick ? 32 : 1000;
var warmup = quick ? 1 : 10;

var clock = Stopwatch.StartNew();
void Progress(string line) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");

// 2. What is measured, built when its sources changed.
var contenders = await Builds.PrepareAsync(Progress, aotOnly: variants || profile);
var machine = await Machine.DescribeAsync();

// 3. The local cloud, and the tenant every contender vends for.
await using var cloud = await BenchCloud.StartAsync();
await cloud.OnboardAsync(contenders[0]);
if (contenders.FirstOrDefault(c => c.Key == BenchCloud.Brokered) is { } brokered)
{
    await cloud.OnboardBrokeredAsync(brokered);
}

Progress($"local cloud up: dynalite, STS and KMS behind timing proxies, issuer {cloud.Issuer.Issuer}, tenants {cloud.TenantId} and {cloud.BrokeredTenantId}");

// --variants: the AOT warm run under each GC setting, and nothing else.
if (variants)
{
    var table = await Variants.RunAsync(cloud, contenders[0], quick ? 200 : 500, quick ? 2 : 3, roundTrips, Progress);
    var variantsPath = Path.Combine(RepositoryPaths.Root, "bench", "results", $"{DateTimeOffset.UtcNow:yyyy-MM-dd-HHmmss}-variants.md");
    await File.WriteAllTextAsync(variantsPath, $"# AOT warm runs, variants interleaved\n\n- {machine.Cores} cores ({machine.CpuModel}), commit {machine.Commit}; round trips injected only where the variant says\n\n{table}");
    Progress($"variants: {Path.GetRelativePath(RepositoryPaths.Root, variantsPath)}");
    return 0;
}

// --profile: the AOT warm run under perf, and nothing else.
if (profile)
{
    if (profileRoundTrips)
    {
        cloud.DynamoProxy.RoundTrip = TimeSpan.FromMilliseconds(roundTrips.DynamoDbMs);
        cloud.StsProxy.RoundTrip = TimeSpan.FromMilliseconds(roundTrips.StsMs);
    }

    var flat = await Profile.RunAsync(cloud, contenders[0], quick ? 500 : 3000, Progress);
    var waits = profileRoundTrips ? $"round trips injected (DynamoDB {roundTrips.DynamoDbMs} ms, STS {roundTrips.StsMs} ms)" : "bare loopback";
    var profilePath = Path.Combine(RepositoryPaths.Root, "bench", "results", $"{DateTimeOffset.UtcNow:yyyy-MM-dd-HHmmss}-profile{(profileRoundTrips ? "-round-trips" : string.Empty)}.txt");
    await File.WriteAllTextAsync(profilePath, $"# perf, AOT warm vends, {waits}, commit {machine.Commit}\n{flat}");
    Progress($"profile: {Path.GetRelativePath(RepositoryPaths.Root, profilePath)}");
    return 0;
}

// 4. Cold starts, interleaved; then each contender warm, alone; then throughput.
var cold = await ColdStart.RunAsync(cloud, contenders, launches, Progress);
// The warm runs wait on round trips as a vend on Lambda does; cold starts and throughput stay on bare loopback, so that
// their figures compare with earlier runs.
var warm = new Dictionary<string, WarmResult>();
cloud.DynamoProxy.RoundTrip = TimeSpan.FromMilliseconds(roundTrips.DynamoDbMs);
cloud.StsProxy.RoundTrip = TimeSpan.FromMilliseconds(roundTrips.StsMs);
cloud.KmsProxy.RoundTrip = TimeSpan.FromMilliseconds(roundTrips.KmsMs);
Progress($"warm runs with injected round trips: DynamoDB {roundTrips.DynamoDbMs} ms, STS {roundTrips.StsMs} ms, KMS {roundTrips.KmsMs} ms");
foreach (var contender in contenders)
{
    warm[contender.Key] = await WarmRun.RunAsync(cloud, contender, invocations, Progress);
}

cloud.DynamoProxy.RoundTrip = TimeSpan.Zero;
cloud.StsProxy.RoundTrip = TimeSpan.Zero;
cloud.KmsProxy.RoundTrip = TimeSpan.Zero;

var throughput = new Dictionary<string, IReadOnlyList<ThroughputLevel>>();
foreach (var contender in contenders)
{
    throughput[contender.Key] = await Throughput.RunAsync(cloud, contender, levels, perLevel, warmup, Progress);
}

// 5. The report under bench/results/, and the JSON where --out says.
var bootstrapMb = new FileInfo(contenders[0].BootstrapPath).Length / 1024.0 / 1024.0;
var results = new BenchResults(machine, DateTimeOffset.UtcNow, quick, launches, invocations, contenders, cold, warm, throughput, bootstrapMb, clock.Elapsed, roundTrips);
var resultsDir = Path.Combine(RepositoryPaths.Root, "bench", "results");
Directory.CreateDirectory(resultsDir);
var reportPath = Path.Combine(resultsDir, $"{results.Date:yyyy-MM-dd-HHmmss}{(quick ? "-quick" : string.Empty)}.md");
await File.WriteAllTextAsync(reportPath, MarkdownReport.Write(results));
if (jsonPath is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
    await File.WriteAllTextAsync(jsonPath, results.ToJson());
}

Progress($"cold medians: aot {cold["aot"].Total.Median:0.0} ms, jit {cold["jit"].Total.Median:0.0} ms, node {cold["node"].Total.Median:0.0} ms; "
    + $"AOT/JIT {results.ColdAotToJit:0.000}, AOT/Node {results.ColdAotToNode:0.000}");
foreach (var target in results.Targets)
{
    Progress($"{(target.Met ? "met   " : "MISSED")} {target.Figure}: {target.Measured} (target {target.Goal})");
}

Progress($"report: {Path.GetRelativePath(RepositoryPaths.Root, reportPath)}{(jsonPath is null ? string.Empty : $"; JSON: {jsonPath}")}");
return 0;
