using System.Net;
using CredentialVending.Local.Tests.ApiGateway;

namespace CredentialVending.Local.Tests.Lambda;

/// <summary>Each function as Lambda scales it: one invocation per process, more processes under load, up to a limit.</summary>
public sealed class FunctionScalingTests(EchoGateway echo) : IClassFixture<EchoGateway>
{
    [Fact]
    public async Task Parallel_requests_start_processes_up_to_the_limit_and_then_wait_for_a_free_one()
    {
        var pool = echo.Gateway.Functions["LeasesFunction"];
        const int requests = 8;

        var answers = await Task.WhenAll(Enumerable.Range(0, requests).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/acme/leases");
            request.Headers.Add("x-echo-delay-ms", "400");
            using var response = await echo.Http.SendAsync(request);
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(EchoGateway.MaxConcurrency, pool.InstancesStarted);
        Assert.Equal(EchoGateway.MaxConcurrency, pool.ProcessIds.Count);
        var reports = echo.Logs.Where(l => l.Function == "LeasesFunction" && l.Line.StartsWith("REPORT RequestId: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(requests, reports.Length);
        Assert.Equal(EchoGateway.MaxConcurrency, reports.Count(r => r.Line.Contains("Init Duration:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Requests_one_after_another_reuse_one_warm_process()
    {
        var pool = echo.Gateway.Functions["DecodeFunction"];

        for (var i = 0; i < 3; i++)
        {
            using var response = await echo.Http.PostAsync("/v1/tenants/acme/decode", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, pool.InstancesStarted);
        Assert.Single(pool.ProcessIds);
    }
}
