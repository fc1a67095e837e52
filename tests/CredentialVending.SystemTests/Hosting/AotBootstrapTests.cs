using System.Text.RegularExpressions;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Lambda;

namespace CredentialVending.SystemTests.Hosting;

/// <summary>The Native AOT bootstrap: published with zero trim and AOT warnings, and serving the real flow.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed partial class AotBootstrapTests(LocalCloud cloud, AotPublish aot) : IClassFixture<AotPublish>
{
    [Fact]
    public void The_publish_leaves_a_bootstrap_with_no_trim_or_aot_warning()
    {
        Assert.True(aot.ExitCode == 0, aot.Log);
        Assert.True(File.Exists(aot.Bootstrap), aot.Log);
        var warnings = WarningLine().Matches(aot.Log).Select(m => m.Value).ToArray();
        Assert.True(warnings.Length == 0, string.Join('\n', warnings));
    }

    [Fact]
    public async Task The_aot_bootstrap_vends_recorded_credentials_through_the_runtime_api()
    {
        Assert.True(File.Exists(aot.Bootstrap), aot.Log);
        var tenant = await cloud.OnboardAsync();
        await using var vend = await FunctionInstance.StartAsync(
            new FunctionLaunch { BootstrapPath = aot.Bootstrap, Handler = "vend", Environment = cloud.FunctionEnvironment(), Timeout = LocalCloud.FunctionTimeout }, cloud.Logs.Enqueue);
        var request = Requests.Vend(tenant, cloud.Token(tenant)) with
        {
            RouteKey = "POST /v1/tenants/{tenantId}/credentials",
            PathParameters = new Dictionary<string, string> { ["tenantId"] = tenant },
        };

        var result = await vend.InvokeAsync(HttpApiEvent.Create(request, DateTimeOffset.UtcNow));
        var notFound = await vend.InvokeAsync(HttpApiEvent.Create(new HttpApiRequest { Method = "GET", Path = "/nowhere" }, DateTimeOffset.UtcNow));

        var answer = Answer.Parse(result.Response!);
        Assert.True(answer.Status == 200, answer.ToString());
        Assert.NotNull(result.InitDuration);
        var leaseId = answer.Json.GetProperty("leaseId").GetString();
        Assert.Equal(leaseId, Assert.Single(await cloud.LeaseItemsAsync(tenant))["leaseId"].S);
        Assert.Equal(404, Answer.Parse(notFound.Response!).Status);
    }

    [Fact]
    public async Task The_aot_bootstrap_reports_an_unknown_handler_as_an_init_error()
    {
        Assert.True(File.Exists(aot.Bootstrap), aot.Log);
        await using var function = await FunctionInstance.StartAsync(
            new FunctionLaunch { BootstrapPath = aot.Bootstrap, Handler = "nonsense", Environment = cloud.FunctionEnvironment() }, cloud.Logs.Enqueue);
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.False(await function.WaitReadyAsync(ready.Token));
        Assert.Contains("_HANDLER", function.InitError, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^.*\bwarning\b.*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex WarningLine();
}
