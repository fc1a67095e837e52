using System.Text.Json.Nodes;
using CredentialVending.Local.Lambda;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>
/// One DynamoDB round trip before STS: when a rate-limited tenant's cached document has expired, the vend function sends
/// the tenant read and the rate counter together, and either failing is 503 <c>unavailable</c> with no STS call and no
/// lease. Through the real bootstrap, with a proxy in front of dynalite that sees, holds or garbles each operation.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class VendRoundTripTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_due_tenant_read_and_the_rate_counter_are_sent_together()
    {
        var (tenant, proxy, vend) = await WarmVendAsync();
        await using (proxy)
        await using (vend)
        {
            // The read is held until the counter arrives: a function that waited for the read's answer first never sends it.
            proxy.Hold = ("GetItem", "UpdateItem");

            var answer = await LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant)));

            Assert.True(answer.Status == 200, answer.ToString());
            Assert.True(proxy.Released, string.Join(", ", proxy.Operations));
        }
    }

    [Fact]
    public async Task While_the_document_is_cached_the_rate_counter_is_the_only_call_before_sts()
    {
        var tenant = await cloud.OnboardAsync(change: Limited);
        await using var proxy = await DynamoFaultProxy.StartAsync(cloud.Host.DynamoEndpoint!);
        await using var vend = await VendFunctionAsync(proxy, cacheSeconds: "300");
        Assert.Equal(200, (await LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant)))).Status);
        proxy.Operations.Clear();

        Assert.Equal(200, (await LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant)))).Status);

        Assert.Equal(["UpdateItem", "PutItem"], proxy.Operations.ToArray());
    }

    [Theory]
    [InlineData("GetItem")]
    [InlineData("UpdateItem")]
    public async Task Either_call_failing_is_503_unavailable_with_no_sts_call_and_no_lease(string failing)
    {
        var (tenant, proxy, vend) = await WarmVendAsync();
        await using (proxy)
        await using (vend)
        {
            var stsCalls = cloud.Sts.Calls.Count;
            proxy.Fault = (failing, DynamoGarble.BadGateway);

            var answer = await LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant)));

            Assert.True(answer.Status == 503 && answer.Code == "unavailable", answer.ToString());
            Assert.NotNull(answer.Header("retry-after"));
            Assert.True(proxy.Garbled >= 1, "the failing call was sent");
            Assert.Contains("GetItem", proxy.Operations);
            Assert.Contains("UpdateItem", proxy.Operations);
            Assert.Equal(stsCalls, cloud.Sts.Calls.Count);
            Assert.Single(await cloud.LeaseItemsAsync(tenant));
        }
    }

    private static void Limited(JsonObject document) => document["limits"] = new JsonObject { ["requestsPerMinute"] = 600 };

    /// <summary>A rate-limited tenant vended once by a function whose one-second cache has then expired.</summary>
    private async Task<(string Tenant, DynamoFaultProxy Proxy, FunctionInstance Vend)> WarmVendAsync()
    {
        var tenant = await cloud.OnboardAsync(change: Limited);
        var proxy = await DynamoFaultProxy.StartAsync(cloud.Host.DynamoEndpoint!);
        var vend = await VendFunctionAsync(proxy, cacheSeconds: "1");
        var first = await LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant)));
        Assert.True(first.Status == 200, first.ToString());
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        proxy.Operations.Clear();
        return (tenant, proxy, vend);
    }

    private async Task<FunctionInstance> VendFunctionAsync(DynamoFaultProxy proxy, string cacheSeconds)
    {
        var environment = cloud.FunctionEnvironment();
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = proxy.Endpoint.ToString();
        environment["TENANT_CACHE_SECONDS"] = cacheSeconds;
        return await cloud.StartAsync("vend", environment);
    }
}
