using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Dynamo;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Lambda;
using CredentialVending.Local.Oidc;
using CredentialVending.Local.Sts;

namespace CredentialVending.Bench.Harness;

/// <summary>
/// The local cloud every contender runs in: dynalite with the template's tables and one STS emulator, each behind a
/// <see cref="TimingProxy"/>, and a development OIDC issuer. One tenant is onboarded through the admin function of
/// the AOT bootstrap, as a user would; every contender then vends for the same tenant with the same kind of token, but
/// the brokered one, which vends for a brokered tenant of its own (BenchCloud.Brokered.cs).
/// </summary>
public sealed partial class BenchCloud : IAsyncDisposable
{
    public const string AccessKey = "AKIALOCALVENDFUNCTION";
    public const string Secret = "localVendFunctionSecretKey0000000000000000";
    private const string AdminArn = "arn:aws:iam::123456789012:role/onboarding";

    private Dynalite _dynalite = null!;
    private string _tenantsTable = string.Empty;
    private string _leasesTable = string.Empty;

    public TimingProxy DynamoProxy { get; private set; } = null!;
    public TimingProxy StsProxy { get; private set; } = null!;
    public StsEmulator Sts { get; private set; } = null!;
    public DevelopmentIssuer Issuer { get; private set; } = null!;
    public string TenantId { get; } = "bench-" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<BenchCloud> StartAsync()
    {
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        var cloud = new BenchCloud { _dynalite = await Dynalite.StartAsync() };
        using (var dynamo = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = cloud._dynalite.Endpoint.ToString() }))
        {
            var tables = await TemplateTables.CreateAsync(dynamo, RepositoryPaths.Template, "bench-");
            cloud._tenantsTable = tables[TemplateTables.ReferencedBy(RepositoryPaths.Template, "TENANTS_TABLE")!];
            cloud._leasesTable = tables[TemplateTables.ReferencedBy(RepositoryPaths.Template, "LEASES_TABLE")!];
        }

        cloud.Issuer = await DevelopmentIssuer.StartAsync();
        cloud.Sts = await StsEmulator.StartAsync(new StsEmulatorOptions
        {
            Region = "us-east-1",
            CallerCredentials = new Dictionary<string, string> { [AccessKey] = Secret },
        });
        cloud.DynamoProxy = TimingProxy.Start(cloud._dynalite.Endpoint);
        cloud.StsProxy = TimingProxy.Start(cloud.Sts.Endpoint);
        await cloud.StartKmsAsync();
        return cloud;
    }

    /// <summary>What every contender's function gets, as template.yaml sets it, pointed at the proxies.</summary>
    public Dictionary<string, string> FunctionEnvironment() => new()
    {
        ["TENANTS_TABLE"] = _tenantsTable,
        ["LEASES_TABLE"] = _leasesTable,
        ["AWS_ENDPOINT_URL_DYNAMODB"] = DynamoProxy.Endpoint.ToString(),
        ["STS_ENDPOINTS"] = $"us-east-1={StsProxy.Endpoint}",
        ["ADMIN_PRINCIPAL_ARNS"] = AdminArn,
        ["INSECURE_LOOPBACK_ISSUERS"] = "true",
        ["LOG_LEVEL"] = "info",
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = Secret,
    };

    public FunctionLaunch Launch(Contender contender, string handler = "vend")
    {
        var environment = FunctionEnvironment();
        // Lambda sets it for every runtime; aws-lambda-ric refuses to run without it, and the Runtime API emulator omits it.
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = $"{DateTime.UtcNow:yyyy/MM/dd}/[$LATEST]{Guid.NewGuid():N}";
        foreach (var (key, value) in contender.ExtraEnvironment)
        {
            environment[key] = value;
        }

        if (contender.Key == Brokered)
        {
            AddBrokerEnvironment(environment);
        }

        return new FunctionLaunch
        {
            BootstrapPath = contender.BootstrapPath,
            Handler = contender.Key == "node" ? "index.handler" : handler,
            FunctionName = "credvend-bench-" + contender.Key,
            MemorySizeMb = 128,
            Timeout = TimeSpan.FromSeconds(30),
            Environment = environment,
        };
    }

    /// <summary>Puts the tenant document through the admin function of <paramref name="aot"/>, as onboarding automation does.</summary>
    public Task OnboardAsync(Contender aot) => PutTenantAsync(aot, TenantId, TenantDocument(TenantId));

    private async Task PutTenantAsync(Contender contender, string tenantId, JsonObject document)
    {
        await using var admin = await FunctionInstance.StartAsync(Launch(contender, "admin"), _ => { });
        var request = new HttpApiRequest
        {
            Method = "PUT",
            Path = $"/admin/tenants/{tenantId}",
            RouteKey = "PUT /admin/tenants/{tenantId}",
            PathParameters = new Dictionary<string, string> { ["tenantId"] = tenantId },
            Headers = [new("Content-Type", "application/json")],
            Body = Encoding.UTF8.GetBytes(document.ToJsonString()),
            IamUserArn = AdminArn,
            IamAccessKey = "AKIAONBOARDING000000",
        };
        var answer = VendAnswer.Read(await admin.InvokeAsync(HttpApiEvent.Create(request, DateTimeOffset.UtcNow)));
        if (answer.Status != 201)
        {
            throw new InvalidOperationException($"Onboarding {tenantId} failed: {answer.Status} {answer.Body}");
        }
    }

    /// <summary>A user's token of the tenant, long enough to outlive the whole run.</summary>
    public string Token(string tenantId) => Issuer.IssueToken(new TokenRequest
    {
        Subject = "alice",
        Audiences = ["credvend-local"],
        Claims = new Dictionary<string, object> { ["tenant"] = tenantId, ["groups"] = new[] { "readers" } },
        Lifetime = TimeSpan.FromHours(3),
    });

    /// <summary>The benchmark's request: a mobile app's POST for its default scope, through API Gateway's payload 2.0.</summary>
    public byte[] VendEvent(string token, string tenantId) => HttpApiEvent.Create(new HttpApiRequest
    {
        Method = "POST",
        Path = $"/v1/tenants/{tenantId}/credentials",
        RouteKey = "POST /v1/tenants/{tenantId}/credentials",
        PathParameters = new Dictionary<string, string> { ["tenantId"] = tenantId },
        Headers = [new("Authorization", "Bearer " + token), new("Content-Type", "application/json"), new("User-Agent", "credvend-bench/1.0")],
        Body = """{"scopes":["files:read"],"durationSeconds":900}"""u8.ToArray(),
        SourceIp = "198.51.100.7",
    }, DateTimeOffset.UtcNow);

    private JsonObject TenantDocument(string tenantId) => JsonNode.Parse($$"""
        {
          "tenantId": "{{tenantId}}", "displayName": "Benchmark tenant", "status": "active",
          "identity": { "issuer": "{{Issuer.Issuer}}", "audiences": ["credvend-local"], "subjectClaim": "sub", "tenantClaim": "tenant" },
          "issuance": { "mode": "assumeRole", "roleArn": "arn:aws:iam::123456789012:role/tenant-{{tenantId}}",
                        "externalId": "{{tenantId}}-7f3c", "defaultDurationSeconds": 900, "maxDurationSeconds": 3600 },
          "scopes": {
            "files:read": { "statements": [ { "Effect": "Allow", "Action": ["s3:GetObject"],
              "Resource": ["arn:aws:s3:::acme-data/{{"{{tenant}}"}}/{{"{{subject}}"}}/*"] } ] },
            "files:write": { "statements": [ { "Effect": "Allow", "Action": ["s3:PutObject"],
              "Resource": ["arn:aws:s3:::acme-data/{{"{{tenant}}"}}/{{"{{subject}}"}}/*"] } ],
              "grantedTo": { "claim": "groups", "anyOf": ["editors"] } }
          },
          "defaultScopes": ["files:read"],
          "sessionTags": { "tenant": "{{"{{tenant}}"}}", "subject": "{{"{{subject}}"}}" },
          "limits": { "requestsPerMinute": 1000000 }
        }
        """)!.AsObject();

    public async ValueTask DisposeAsync()
    {
        await DisposeBrokerAsync();
        await DynamoProxy.DisposeAsync();
        await StsProxy.DisposeAsync();
        await Sts.DisposeAsync();
        await Issuer.DisposeAsync();
        await _dynalite.DisposeAsync();
    }
}
