using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using CredentialVending.SystemTests.Support;
using Xunit.Abstractions;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// Many callers at once, over HTTP through the API Gateway emulator (up to its 4 vend processes): no 5xx, every 200
/// has exactly one ledger record and every record had exactly one 200, lease ids and access key ids all distinct.
/// CREDVEND_LOAD_REQUESTS sets the number of requests (default 5,000; the soak run in SECURITY.md asks for more).
/// Throughput and latency are reported, never asserted.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Soak")]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class LoadTests(LocalCloud cloud, ITestOutputHelper output)
{
    private const int Concurrency = 32;

    private static int RequestCount => int.TryParse(Environment.GetEnvironmentVariable("CREDVEND_LOAD_REQUESTS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5_000;

    [Fact]
    public async Task Many_callers_at_once_get_no_5xx_and_the_ledger_holds_exactly_one_lease_per_200()
    {
        var tenants = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            tenants.Add(await cloud.OnboardAsync());
        }

        // Tokens are signed up front (RSA signing would otherwise compete with the functions for the CPU).
        var tokens = tenants.SelectMany(t => Enumerable.Range(0, 8).Select(s => (Tenant: t, Token: cloud.Token(t, $"user{s}", s % 2 == 0 ? ["editors"] : [])))).ToArray();
        foreach (var (_, token) in tokens)
        {
            Witness.Authorization("Bearer " + token);
        }

        var total = RequestCount;
        var results = new ConcurrentBag<(int Status, double Ms, string Tenant, string? Lease, string? Key)>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < total)
            {
                var (tenant, token) = tokens[n % tokens.Length];
                results.Add(await VendAsync(tenant, token, n));
            }
        }));
        var elapsed = clock.Elapsed;

        var all = results.ToArray();
        var latencies = all.Select(r => r.Ms).Order().ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total} vend requests, concurrency {Concurrency}, over HTTP through the API Gateway emulator: {elapsed.TotalSeconds:0.0} s, {total / elapsed.TotalSeconds:0} requests/s; latency p50 {Percentile(latencies, 50):0.0} ms, p90 {Percentile(latencies, 90):0.0} ms, p99 {Percentile(latencies, 99):0.0} ms, max {latencies[^1]:0.0} ms"));
        output.WriteLine("statuses: " + string.Join(", ", all.GroupBy(r => r.Status).Select(g => $"{g.Key} x {g.Count()}")));

        Assert.Equal(total, all.Length);
        Assert.DoesNotContain(all, r => r.Status >= 500);
        Assert.All(all, r => Assert.Equal(200, r.Status));
        var returned = all.Where(r => r.Status == 200).ToArray();
        Assert.Equal(returned.Length, returned.Select(r => r.Lease).Distinct().Count());
        Assert.Equal(returned.Length, returned.Select(r => r.Key).Distinct().Count());

        var recorded = new List<(string Tenant, string Lease, string Key)>();
        foreach (var tenant in tenants)
        {
            recorded.AddRange((await cloud.AllLeaseItemsAsync(tenant)).Select(i => (tenant, i["leaseId"].S, i["accessKeyId"].S)));
        }

        Assert.Equal(
            returned.Select(r => (r.Tenant, r.Lease!, r.Key!)).Order().ToArray(),
            recorded.Order().ToArray());
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);

    private async Task<(int Status, double Ms, string Tenant, string? Lease, string? Key)> VendAsync(string tenant, string token, int n)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/tenants/{tenant}/credentials");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new StringContent(n % 3 == 0 ? "{\"scopes\":[\"files:read\"],\"durationSeconds\":900}" : "{}", System.Text.Encoding.UTF8, "application/json");
        var started = Stopwatch.GetTimestamp();
        using var response = await cloud.Api.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var status = (int)response.StatusCode;
        Witness.Saw(status, body, response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(',', h.Value)}"));
        if (status != 200)
        {
            return (status, ms, tenant, null, null);
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return (status, ms, tenant, root.GetProperty("leaseId").GetString(), root.GetProperty("credentials").GetProperty("accessKeyId").GetString());
    }

    private static double Percentile(double[] sorted, int percent) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
