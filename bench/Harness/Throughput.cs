using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Bench.Harness;

/// <param name="Concurrency">How many clients had a vend in flight at once.</param>
/// <param name="VendsPerSecond">Answered vends over the wall time of the level.</param>
/// <param name="Latency">Each vend as its client saw it, through the API Gateway emulator, in ms.</param>
/// <param name="Environments">How many execution environments the function had by the end of the level.</param>
public sealed record ThroughputLevel(int Concurrency, double VendsPerSecond, Stats Latency, int Environments);

/// <summary>
/// Throughput at several concurrencies, over HTTP through CredentialVending.Local's API Gateway emulator, which scales
/// the function as Lambda does: one warm execution environment per request in flight, a new one when all are busy.
/// Before each level the clients ramp up one at a time, so environments start one by one (16 JIT processes starting at
/// once on 2 cores would time out) and every level compares warm steady states, not cold starts.
/// </summary>
public static class Throughput
{
    public static async Task<IReadOnlyList<ThroughputLevel>> RunAsync(
        BenchCloud cloud, Contender contender, IReadOnlyList<int> levels, int requestsPerLevel, int warmupPerClient, Action<string> progress)
    {
        var log = new RecentLines();
        var options = new ApiGatewayOptions
        {
            Api = HttpApiDefinition.Load(RepositoryPaths.Template),
            Launch = f => cloud.Launch(contender, f.Handler),
            MaxConcurrency = levels.Max(),
            Log = (_, line) => log.Add(line),
        };
        await using var gateway = await ApiGatewayEmulator.StartAsync(options);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = levels.Max() }) { Timeout = TimeSpan.FromSeconds(120) };
        var tenantId = cloud.TenantFor(contender);
        var token = cloud.Token(tenantId);
        var uri = new Uri(gateway.Url!, $"/v1/tenants/{tenantId}/credentials");
        async Task<double> VendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new StringContent("""{"scopes":["files:read"],"durationSeconds":900}""", MediaTypeHeaderValue.Parse("application/json")),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            var answer = new VendAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return answer.IsCredentials ? elapsed : throw new InvalidOperationException($"{contender.Key} through the API Gateway emulator: {answer.Status} {answer.Body} (log: {log})");
        }

        async Task<ConcurrentBag<double>> RunClientsAsync(int clients, int requests)
        {
            var latencies = new ConcurrentBag<double>();
            var remaining = requests;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    latencies.Add(await VendAsync());
                }
            }));
            return latencies;
        }

        var results = new List<ThroughputLevel>();
        var ramped = 0;
        foreach (var level in levels)
        {
            for (; ramped < level; ramped++)
            {
                await RunClientsAsync(ramped + 1, (ramped + 1) * warmupPerClient);
            }

            var clock = Stopwatch.StartNew();
            var latencies = await RunClientsAsync(level, requestsPerLevel);
            var rate = requestsPerLevel / clock.Elapsed.TotalSeconds;
            var environments = gateway.Functions.Values.Sum(f => f.InstancesStarted);
            results.Add(new ThroughputLevel(level, rate, new Stats(latencies), environments));
            progress($"throughput {contender.Key}: concurrency {level}: {rate:0} vends/s, p50 {results[^1].Latency.P50:0.00} ms, {environments} environments");
            cloud.DynamoProxy.Drain();
            cloud.StsProxy.Drain();
            cloud.KmsProxy.Drain();
        }

        return results;
    }
}
