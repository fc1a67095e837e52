using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Sts;

namespace CredentialVending.SystemTests.Routes;

/// <summary>STS and ledger faults: failover, the documented answers, and a ledger holding exactly what was returned.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class VendFaultTests(LocalCloud cloud) : IDisposable
{
    public static TheoryData<string> PassedOver => ["throttle", "unavailable", "internal", "region-disabled", "hang"];

    private static StsFault Fault(string name) => name switch
    {
        "throttle" => StsFault.Throttle,
        "unavailable" => StsFault.ServiceUnavailable,
        "internal" => StsFault.InternalFailure,
        "region-disabled" => StsFault.RegionDisabled,
        _ => StsFault.Hang(TimeSpan.FromSeconds(20)),
    };

    [Theory]
    [MemberData(nameof(PassedOver))]
    public async Task A_failing_first_endpoint_is_passed_over_and_the_lease_records_the_region_that_answered(string fault)
    {
        var tenant = await cloud.OnboardAsync();
        cloud.Sts.Faults.Set(Fault(fault));

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Equal("us-west-2", answer.Json.GetProperty("stsRegion").GetString());
        Assert.Equal("us-west-2", Assert.Single(await cloud.LeaseItemsAsync(tenant))["stsRegion"].S);
    }

    [Fact]
    public async Task Access_denied_by_the_tenants_role_is_502_issuance_failed_and_the_next_endpoint_is_not_tried()
    {
        var tenant = await cloud.OnboardAsync();
        cloud.Sts.Faults.Set(StsFault.AccessDenied);
        var westCalls = cloud.StsWest.Calls.Count;

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.Equal(502, answer.Status);
        Assert.Equal("issuance_failed", answer.Code);
        Assert.Equal(westCalls, cloud.StsWest.Calls.Count);
        Assert.Empty(await cloud.LeaseItemsAsync(tenant));
    }

    [Fact]
    public async Task Every_endpoint_throttling_is_503_unavailable_with_retry_after_and_no_lease()
    {
        var tenant = await cloud.OnboardAsync();
        cloud.Sts.Faults.Set(StsFault.Throttle);
        cloud.StsWest.Faults.Set(StsFault.Throttle);

        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant)));

        Assert.Equal(503, answer.Status);
        Assert.Equal("unavailable", answer.Code);
        Assert.True(int.Parse(answer.Header("retry-after")!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Empty(await cloud.LeaseItemsAsync(tenant));
    }

    [Fact]
    public async Task A_ledger_that_fails_after_sts_answered_is_503_and_no_credentials_leave()
    {
        var tenant = await cloud.OnboardAsync();
        var environment = cloud.FunctionEnvironment();
        environment["LEASES_TABLE"] = "leases-table-that-is-gone";
        await using var vend = await cloud.StartAsync("vend", environment);
        var issuedBefore = cloud.Sts.Calls.Count(c => c.StatusCode == 200);
        var request = Requests.Vend(tenant, cloud.Token(tenant)) with
        {
            RouteKey = "POST /v1/tenants/{tenantId}/credentials",
            PathParameters = new Dictionary<string, string> { ["tenantId"] = tenant },
        };

        var result = await vend.InvokeAsync(HttpApiEvent.Create(request, DateTimeOffset.UtcNow));

        var answer = Answer.Parse(result.Response!);
        Assert.Equal(503, answer.Status);
        Assert.Equal("unavailable", answer.Code);
        Assert.NotNull(answer.Header("retry-after"));
        Assert.Equal(issuedBefore + 1, cloud.Sts.Calls.Count(c => c.StatusCode == 200));
        Assert.DoesNotContain("ASIA", answer.RawResponse, StringComparison.Ordinal);
        Assert.Empty(await cloud.LeaseItemsAsync(tenant));
    }

    [Fact]
    public async Task An_unreachable_dynamodb_is_503_before_any_sts_call()
    {
        var tenant = await cloud.OnboardAsync();
        var environment = cloud.FunctionEnvironment();
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:9";
        await using var vend = await cloud.StartAsync("vend", environment);
        var callsBefore = cloud.Sts.Calls.Count + cloud.StsWest.Calls.Count;
        var request = Requests.Vend(tenant, cloud.Token(tenant)) with
        {
            RouteKey = "POST /v1/tenants/{tenantId}/credentials",
            PathParameters = new Dictionary<string, string> { ["tenantId"] = tenant },
        };

        var answer = Answer.Parse((await vend.InvokeAsync(HttpApiEvent.Create(request, DateTimeOffset.UtcNow))).Response!);

        Assert.Equal(503, answer.Status);
        Assert.Equal("unavailable", answer.Code);
        Assert.NotNull(answer.Header("retry-after"));
        Assert.Equal(callsBefore, cloud.Sts.Calls.Count + cloud.StsWest.Calls.Count);
    }

    public void Dispose()
    {
        cloud.Sts.Faults.Set(StsFault.None);
        cloud.StsWest.Faults.Set(StsFault.None);
    }
}
