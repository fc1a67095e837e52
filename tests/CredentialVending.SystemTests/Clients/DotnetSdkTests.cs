using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// The AWS SDK for .NET's default credentials chain, in a child process (tests/clients/dotnet-container) because it
/// reads process-wide variables: AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN alone make it
/// pick its container provider, load the GET ?format=container answer, and sign STS calls with it.
/// The SDK fetches again any credentials that expire within its 15-minute window (PreemptExpiryTime), so the tenant's
/// 900 s default would cost a lease on nearly every call: the URL asks for an hour, as the README tells users to.
/// </summary>
[Collection(ClientsCollection.Name)]
public sealed class DotnetSdkTests(ClientsCloud cloud, ITestOutputHelper output)
{
    [Fact]
    public async Task The_default_chain_picks_the_container_provider_and_sts_names_one_lease_for_both_calls()
    {
        var subject = ClientsCloud.NewSubject("dotnet");

        var run = await CallerIdentityAsync("Bearer " + await cloud.TokenAsync(subject));

        Assert.True(run.ExitCode == 0, run.ToString());
        var identity = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("GenericContainerCredentials", identity["Provider"]!.GetValue<string>());
        var arn = identity["Arn"]!.GetValue<string>();
        var lease = await cloud.AssertAssumedRoleAsync(arn, subject);
        Assert.Equal(3600, lease["durationSeconds"]!.GetValue<int>());
        Assert.Equal(arn, identity["SecondArn"]!.GetValue<string>());
        Assert.Single(await cloud.LeasesOfAsync(subject));
        Assert.Equal(ClientsCloud.Account, identity["Account"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_token_fails_the_sdk_without_credentials()
    {
        var run = await CallerIdentityAsync("Bearer not-a-jwt");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
    }

    private async Task<ClientRun> CallerIdentityAsync(string authorization)
    {
        var client = await ClientTools.DotnetClientAsync(output.WriteLine);
        return await ClientProcess.RunAsync("dotnet", [client, cloud.Sts], new Dictionary<string, string>
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = $"{cloud.Api}/v1/tenants/{ClientsCloud.Tenant}/credentials?format=container&durationSeconds=3600",
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = authorization,
            ["AWS_REGION"] = "us-east-1",
        });
    }
}
