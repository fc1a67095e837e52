using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Lambda;

namespace CredentialVending.SystemTests.Routes;

/// <summary>
/// TENANT_CACHE_SECONDS through the real bootstrap: the vend function reuses a tenant document it read for at most that
/// long, so a suspension put through the admin route reaches the vend path within the bound, and 0 turns reuse off.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class TenantCacheTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_suspension_reaches_the_vend_path_once_the_cache_seconds_have_passed()
    {
        var tenant = await cloud.OnboardAsync();
        await using var vend = await VendFunctionAsync(cacheSeconds: "1");
        Assert.Equal(200, (await VendAsync(vend, tenant)).Status);

        await SuspendAsync(tenant);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var refused = await VendAsync(vend, tenant);
        Assert.Equal(403, refused.Status);
        Assert.Equal("tenant_suspended", refused.Code);
    }

    [Fact]
    public async Task Within_the_cache_seconds_the_vend_path_serves_the_document_it_read()
    {
        var tenant = await cloud.OnboardAsync();
        await using var vend = await VendFunctionAsync(cacheSeconds: "300");
        Assert.Equal(200, (await VendAsync(vend, tenant)).Status);

        await SuspendAsync(tenant);

        // The documented trade: a change takes up to TENANT_CACHE_SECONDS to reach a warm vend function.
        Assert.Equal(200, (await VendAsync(vend, tenant)).Status);
    }

    [Fact]
    public async Task With_the_cache_at_0_a_suspension_reaches_the_next_vend()
    {
        var tenant = await cloud.OnboardAsync();
        await using var vend = await VendFunctionAsync(cacheSeconds: "0");
        Assert.Equal(200, (await VendAsync(vend, tenant)).Status);

        await SuspendAsync(tenant);

        Assert.Equal("tenant_suspended", (await VendAsync(vend, tenant)).Code);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("301")]
    [InlineData("five")]
    [InlineData("1.5")]
    public async Task An_unreadable_cache_setting_is_503_with_the_cause_logged(string value)
    {
        var tenant = await cloud.OnboardAsync();
        await using var vend = await VendFunctionAsync(value);

        var answer = await VendAsync(vend, tenant);

        Assert.Equal(503, answer.Status);
        Assert.Equal("unavailable", answer.Code);
        Assert.Contains(cloud.Logs, line => line.Contains("TENANT_CACHE_SECONDS", StringComparison.Ordinal));
    }

    private async Task<FunctionInstance> VendFunctionAsync(string cacheSeconds)
    {
        var environment = cloud.FunctionEnvironment();
        environment["TENANT_CACHE_SECONDS"] = cacheSeconds;
        return await cloud.StartAsync("vend", environment);
    }

    private Task<Answer> VendAsync(FunctionInstance vend, string tenant) =>
        LocalCloud.SendAsync(vend, Requests.Vend(tenant, cloud.Token(tenant)));

    private async Task SuspendAsync(string tenant)
    {
        var document = Requests.TenantDocument(tenant, cloud.Issuer.Issuer, "assumeRole");
        document["status"] = "suspended";
        var answer = await cloud.SendAsync(Requests.Admin("PUT", $"/admin/tenants/{tenant}", document.ToJsonString()));
        Assert.True(answer.Status == 200, $"Suspending {tenant} failed: {answer}");
    }
}
