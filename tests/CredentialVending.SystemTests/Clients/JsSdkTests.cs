using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// The AWS SDK for JavaScript v3's own providers (tests/clients/js, pinned by its package-lock.json): fromHttp, the
/// container provider, configured by its variables alone, and fromProcess running examples/credential-process.
/// </summary>
[Collection(ClientsCollection.Name)]
public sealed class JsSdkTests(ClientsCloud cloud, ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("credvend-js-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task FromHttp_loads_the_container_format_and_sts_names_the_lease()
    {
        var subject = ClientsCloud.NewSubject("js");

        var run = await CallerIdentityAsync(["http"], new()
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = $"{cloud.Api}/v1/tenants/{ClientsCloud.Tenant}/credentials?format=container",
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Bearer " + await cloud.TokenAsync(subject),
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        await AssertOneLeaseForBothCallsAsync(JsonNode.Parse(run.Stdout)!, subject);
    }

    [Fact]
    public async Task FromHttp_reports_the_refusal_of_a_bad_token()
    {
        var run = await CallerIdentityAsync(["http"], new()
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = $"{cloud.Api}/v1/tenants/{ClientsCloud.Tenant}/credentials?format=container",
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Bearer not-a-jwt",
        });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("401", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromProcess_runs_the_credential_process_helper_and_sts_names_the_lease()
    {
        var subject = ClientsCloud.NewSubject("js");
        var config = Path.Combine(_folder, "config");
        await File.WriteAllTextAsync(config, $"""
            [profile credvend]
            credential_process = {ClientTools.CredentialProcess} --url {cloud.Api} --tenant {ClientsCloud.Tenant}

            """);

        var run = await CallerIdentityAsync(["process", "credvend"], new() { ["AWS_CONFIG_FILE"] = config, ["CREDVEND_TOKEN"] = await cloud.TokenAsync(subject) });

        Assert.True(run.ExitCode == 0, run.ToString());
        await AssertOneLeaseForBothCallsAsync(JsonNode.Parse(run.Stdout)!, subject);
    }

    /// <summary>The client caches what its provider loaded (it refreshes only within 5 minutes of expiry): one load, one lease, two calls.</summary>
    private async Task AssertOneLeaseForBothCallsAsync(JsonNode identity, string subject)
    {
        var arn = identity["Arn"]!.GetValue<string>();
        await cloud.AssertAssumedRoleAsync(arn, subject, identity["AccessKeyId"]!.GetValue<string>());
        Assert.Equal(arn, identity["SecondArn"]!.GetValue<string>());
        Assert.Equal(1, identity["Loads"]!.GetValue<int>());
        Assert.Single(await cloud.LeasesOfAsync(subject));
        Assert.Equal(ClientsCloud.Account, identity["Account"]!.GetValue<string>());
    }

    private async Task<ClientRun> CallerIdentityAsync(string[] provider, Dictionary<string, string> environment)
    {
        var folder = await ClientTools.JsClientAsync(output.WriteLine);
        string[] arguments = ["caller-identity.mjs", provider[0], cloud.Sts, .. provider.Skip(1)];
        return await ClientProcess.RunAsync("node", arguments, environment, folder);
    }
}
