using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Dynamo;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Local;

/// <summary>
/// <c>--aws</c>: the run command against an account's DynamoDB and STS instead of dynalite and the STS emulator. No AWS
/// account is reachable here, so moto's server stands in for both, found as a user would point any AWS SDK elsewhere
/// (<c>AWS_ENDPOINT_URL_DYNAMODB</c>) and through <c>--sts-endpoints</c>.
/// </summary>
public sealed class RunCommandAwsTests : IDisposable
{
    private const string Region = "us-east-1";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "credvend-run-aws-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task With_aws_the_run_command_onboards_vends_and_lists_leases_against_the_accounts_tables_and_sts()
    {
        await using var moto = await MotoServer.StartAsync();
        var credentials = new BasicAWSCredentials("AKIAMOTOACCOUNT00001", "motoSecretAccessKey000000000000000000000");
        using var dynamo = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig { ServiceURL = moto.Endpoint.ToString() });
        var tables = await TemplateTables.CreateAsync(dynamo, RepositoryPaths.Template, "stack-");
        var (tenantsTable, leasesTable) = (tables["TenantsTable"], tables["LeasesTable"]);
        var port = LoopbackWebApp.FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        await using var run = await RunCommandProcess.StartAsync(port, _folder,
            ["--aws", "--tenants-table", tenantsTable, "--leases-table", leasesTable, "--region", Region, "--sts-endpoints", $"{Region}={moto.Endpoint}"],
            new Dictionary<string, string?>
            {
                ["AWS_ENDPOINT_URL_DYNAMODB"] = moto.Endpoint.ToString(),
                ["AWS_ACCESS_KEY_ID"] = credentials.GetCredentials().AccessKey,
                ["AWS_SECRET_ACCESS_KEY"] = credentials.GetCredentials().SecretKey,
                ["AWS_SESSION_TOKEN"] = null,
                ["AWS_PROFILE"] = null,
            });

        // No local DynamoDB or STS starts, and no demo tenant is made: the screen names the account's parts instead.
        Assert.DoesNotContain(run.Lines, l => l.Contains("dynalite", StringComparison.Ordinal) && l.Contains("starting", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Lines, l => l.Contains("STS emulator", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.Contains($"DynamoDB tables {tenantsTable}, {leasesTable}", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.Contains($"{Region}={moto.Endpoint}", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.Contains("not made with --aws", StringComparison.Ordinal));
        Assert.Empty(await ScanAsync(dynamo, tenantsTable));

        // Onboarding with the admin key the screen prints, as the onboarding automation would.
        var adminCurl = run.Lines.Single(l => l.Contains("--aws-sigv4", StringComparison.Ordinal));
        var key = RunCommandProcess.Between(adminCurl, "--user '", "'").Split(':');
        var api = $"http://127.0.0.1:{port}";
        using (var admin = new HttpClient(new SigV4SigningHandler(new IamCredential(key[0], key[1], "local-admin"), Region)) { BaseAddress = new Uri(api) })
        {
            // The development issuer lives under the API's own port, beside the brokered mode's issuer at its root.
            Assert.Equal("created (version 1)", await DemoTenant.EnsureAsync(admin, api + LocalCloudHost.DevelopmentIssuerPath, CancellationToken.None));
        }

        // Beside the document, onboarding keeps its own items (the role's claim, the PUT's intent), all under keys starting with _.
        var stored = Assert.Single(await ScanAsync(dynamo, tenantsTable), item => !item["tenantId"].S.StartsWith('_'));
        Assert.Equal(DemoTenant.TenantId, stored["tenantId"].S);

        // A vend: STS is moto's, and the lease lands in the account's leases table.
        var token = await http.GetFromJsonAsync<JsonElement>($"/_local/token?tenant={DemoTenant.TenantId}&sub=alice&groups=admins");
        var bearer = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        using var vend = new HttpRequestMessage(HttpMethod.Post, $"/v1/tenants/{DemoTenant.TenantId}/credentials") { Headers = { Authorization = bearer } };
        using var vended = await http.SendAsync(vend);
        var body = await vended.Content.ReadAsStringAsync();
        Assert.True(vended.StatusCode == HttpStatusCode.OK, $"{(int)vended.StatusCode} {body}\n{string.Join('\n', run.Lines.TakeLast(20))}");
        var answer = JsonDocument.Parse(body).RootElement;
        var leaseId = answer.GetProperty("leaseId").GetString()!;
        var issued = answer.GetProperty("credentials");
        var session = new SessionAWSCredentials(issued.GetProperty("accessKeyId").GetString(), issued.GetProperty("secretAccessKey").GetString(), issued.GetProperty("sessionToken").GetString());
        using (var sts = new AmazonSecurityTokenServiceClient(session, new AmazonSecurityTokenServiceConfig { ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = Region }))
        {
            // The session is moto's own: it knows whose it is.
            var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal(answer.GetProperty("assumedRoleArn").GetString(), identity.Arn);
            Assert.Contains("assumed-role/demo-tenant/", identity.Arn, StringComparison.Ordinal);
        }

        var lease = Assert.Single(await ScanAsync(dynamo, leasesTable), item => item.TryGetValue("leaseId", out var id) && id.S == leaseId);
        Assert.Equal(session.GetCredentials().AccessKey, lease["accessKeyId"].S);

        using var list = new HttpRequestMessage(HttpMethod.Get, $"/v1/tenants/{DemoTenant.TenantId}/leases") { Headers = { Authorization = bearer } };
        using var listed = await http.SendAsync(list);
        var leases = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
        Assert.Equal([leaseId], leases.EnumerateArray().Select(l => l.GetProperty("leaseId").GetString()));

        // Ctrl-C: the functions' processes go (there is no dynalite to stop), and the account's data stays.
        var children = run.ChildProcessIds();
        Assert.NotEmpty(children);
        Assert.Equal(0, await run.InterruptAsync());
        Assert.Contains(run.Lines, l => l == "• stopped");
        Assert.All(children, pid => Assert.False(RunCommandProcess.IsAlive(pid), $"child process {pid} outlived the run command"));
        Assert.Contains(await ScanAsync(dynamo, leasesTable), item => item.TryGetValue("leaseId", out var id) && id.S == leaseId);
    }

    private static async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(IAmazonDynamoDB dynamo, string table) =>
        (await dynamo.ScanAsync(new ScanRequest { TableName = table, ConsistentRead = true })).Items ?? [];

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
