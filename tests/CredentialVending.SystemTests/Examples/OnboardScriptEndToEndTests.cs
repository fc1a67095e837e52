using System.Diagnostics;
using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;
using CredentialVending.SystemTests.Template;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Lambda;

namespace CredentialVending.SystemTests.Examples;

/// <summary>
/// examples/onboarding/onboard.sh run as a pipeline runs it: curl signs with SigV4 (--aws-sigv4), the local API Gateway's
/// AWS_IAM authorizer checks the signature, and the real bootstrap serves the admin routes.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class OnboardScriptEndToEndTests(LocalCloud cloud) : IAsyncLifetime
{
    private static readonly IamCredential Pipeline = new("AKIAONBOARDPIPELINE0", "onboardPipelineSecretKey000000000000000000", LocalCloud.AdminArn);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "credvend-onboard-" + Guid.NewGuid().ToString("N")[..8]);
    private ApiGatewayEmulator _gateway = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _gateway = await ApiGatewayEmulator.StartAsync(new ApiGatewayOptions
        {
            Api = HttpApiDefinition.Load(RepositoryPaths.Template),
            Launch = f => new FunctionLaunch { BootstrapPath = LocalCloud.Bootstrap, Handler = f.Handler, FunctionName = f.LogicalId, Environment = cloud.FunctionEnvironment(), Timeout = LocalCloud.FunctionTimeout },
            IamCredentials = [Pipeline],
            MaxConcurrency = 1,
            Log = (_, line) => cloud.Logs.Enqueue(line),
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_script_puts_the_sample_tenant_previews_an_editor_and_passes_its_checks()
    {
        var (tenantId, file) = SampleTenant();

        var (exitCode, output) = await RunAsync(Pipeline.SecretAccessKey, "-s", "alice", "-c", "{\"cognito:groups\":[\"editors\"]}", "-S", "files:read,files:write", _gateway.Url!.ToString(), file);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"tenant {tenantId} is ready", output, StringComparison.Ordinal);
        var stored = await cloud.SendAsync(Requests.Admin("GET", $"/admin/tenants/{tenantId}"));
        Assert.Equal(200, stored.Status);
    }

    [Fact]
    public async Task A_preview_the_service_refuses_fails_the_script_with_the_reason()
    {
        var (_, file) = SampleTenant();

        var (exitCode, output) = await RunAsync(Pipeline.SecretAccessKey, "-s", "alice", "-S", "files:write", _gateway.Url!.ToString(), file);

        Assert.Equal(1, exitCode);
        Assert.Contains("scope_not_permitted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_signature_is_refused_by_the_authorizer_and_fails_the_script()
    {
        var (_, file) = SampleTenant();

        var (exitCode, output) = await RunAsync("notTheSecret", "-s", "alice", _gateway.Url!.ToString(), file);

        Assert.Equal(1, exitCode);
        Assert.Contains("answered 403", output, StringComparison.Ordinal);
    }

    private (string TenantId, string File) SampleTenant()
    {
        var document = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("examples", "onboarding", "tenant.json")))!.AsObject();
        var tenantId = Requests.NewTenantId("acme");
        document["tenantId"] = tenantId;

        // A role of its own: SampleTenantTests puts the sample with its role, and PUT gives a role to one tenant only.
        document["issuance"]!["roleArn"] = $"arn:aws:iam::123456789012:role/tenant-{tenantId}";
        var file = Path.Combine(_folder, tenantId + ".json");
        File.WriteAllText(file, document.ToJsonString());
        return (tenantId, file);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string secret, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryFiles.PathOf("examples", "onboarding", "onboard.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = Pipeline.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secret;
        start.Environment["AWS_SESSION_TOKEN"] = "IQoJb3JpZ2luX2VjEXAMPLEsessionToken";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
