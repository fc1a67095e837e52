using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// The AWS CLI (v1, botocore) on this machine, configured as its docs say and nothing else: a profile whose
/// credential_process is examples/credential-process, or the container provider's two variables. STS (the emulator,
/// which verifies the SigV4 signature and the session token) names the caller: the tenant's role, session = lease id.
/// </summary>
[Collection(ClientsCollection.Name)]
public sealed class AwsCliTests(ClientsCloud cloud) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("credvend-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_cli_signs_with_credentials_from_a_credential_process_profile()
    {
        var subject = ClientsCloud.NewSubject("cli");
        var config = Path.Combine(_folder, "config");
        await File.WriteAllTextAsync(config, $"""
            [profile credvend]
            region = us-east-1
            credential_process = {ClientTools.CredentialProcess} --url {cloud.Api} --tenant {ClientsCloud.Tenant}

            """);

        var run = await CallerIdentityAsync(new() { ["AWS_CONFIG_FILE"] = config, ["CREDVEND_TOKEN"] = await cloud.TokenAsync(subject) }, "--profile", "credvend");

        Assert.True(run.ExitCode == 0, run.ToString());
        await cloud.AssertAssumedRoleAsync(JsonNode.Parse(run.Stdout)!["Arn"]!.GetValue<string>(), subject);
    }

    [Fact]
    public async Task The_cli_signs_with_credentials_from_the_container_provider_variables()
    {
        var subject = ClientsCloud.NewSubject("cli");
        var token = await cloud.TokenAsync(subject);

        var run = await CallerIdentityAsync(new()
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = $"{cloud.Api}/v1/tenants/{ClientsCloud.Tenant}/credentials?format=container",
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Bearer " + token,
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        await cloud.AssertAssumedRoleAsync(JsonNode.Parse(run.Stdout)!["Arn"]!.GetValue<string>(), subject);
    }

    [Fact]
    public async Task A_refused_credential_process_fails_the_cli_with_the_helper_message()
    {
        var config = Path.Combine(_folder, "config");
        await File.WriteAllTextAsync(config, $"""
            [profile credvend]
            credential_process = {ClientTools.CredentialProcess} --url {cloud.Api} --tenant {ClientsCloud.Tenant} --scopes files:write

            """);

        var run = await CallerIdentityAsync(new() { ["AWS_CONFIG_FILE"] = config, ["CREDVEND_TOKEN"] = await cloud.TokenAsync("not-an-editor") }, "--profile", "credvend");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("scope_not_permitted", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(900, 3)]
    [InlineData(3600, 1)]
    public async Task Botocore_asks_again_at_every_call_unless_the_lease_outlasts_its_15_minute_refresh_window(int durationSeconds, int leases)
    {
        // botocore (the CLI's and boto3's engine) refreshes credentials that expire within 15 minutes before each use,
        // so a 900 s lease is stale from the start: this is why the README asks SDK users for durationSeconds=3600.
        var subject = ClientsCloud.NewSubject("boto");
        const string Script = "import boto3, sys\nsts = boto3.client('sts', endpoint_url=sys.argv[1], region_name='us-east-1')\nfor _ in range(3): print(sts.get_caller_identity()['Arn'])";

        var run = await ClientProcess.RunAsync(await PythonTools.InterpreterAsync(), ["-c", Script, cloud.Sts], new Dictionary<string, string>
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = $"{cloud.Api}/v1/tenants/{ClientsCloud.Tenant}/credentials?format=container&durationSeconds={durationSeconds}",
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Bearer " + await cloud.TokenAsync(subject),
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        var arns = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, arns.Length);
        Assert.Equal(leases, arns.Distinct().Count());
        foreach (var arn in arns.Distinct())
        {
            await cloud.AssertAssumedRoleAsync(arn, subject);
        }
    }

    // The CLI as its pinned Python package runs it (python -m awscli is the aws script's own entry point).
    private async Task<ClientRun> CallerIdentityAsync(Dictionary<string, string> environment, params string[] more) =>
        await ClientProcess.RunAsync(await PythonTools.InterpreterAsync(), ["-m", "awscli", "sts", "get-caller-identity", "--endpoint-url", cloud.Sts, "--region", "us-east-1", "--output", "json", .. more], environment);
}
