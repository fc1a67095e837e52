using System.Security.Cryptography;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Dashboard;
using CredentialVending.Local.Dynamo;
using CredentialVending.Local.Iam;
using CredentialVending.Local.Lambda;
using CredentialVending.Local.Oidc;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Hosting;

/// <summary>
/// The whole local cloud, assembled once for the run command and the end-to-end tests: dynalite with the template's
/// tables, an STS emulator per region, and on one loopback port the API Gateway emulator, the development issuer and the
/// development-only helper routes; every function runs as bootstrap processes under the loopback Runtime API.
/// </summary>
public sealed partial class LocalCloudHost : IAsyncDisposable
{
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly List<StsEmulator> _sts = [];
    private Dynalite? _dynalite;
    private WebApplication? _app;

    private LocalCloudHost(LocalCloudOptions options)
    {
        Options = options;
        Admin = new IamCredential(options.AdminAccessKeyId, options.AdminSecretAccessKey ?? RandomNumberGenerator.GetString(SecretAlphabet, 40), options.AdminArn);
    }

    public LocalCloudOptions Options { get; }

    /// <summary>The API Gateway emulator's base URL, which is also the development issuer's URL.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    public DevelopmentIssuer Issuer { get; private set; } = null!;

    /// <summary>The STS emulators, in STS_ENDPOINTS order; none with <c>--aws</c>.</summary>
    public IReadOnlyList<StsEmulator> Sts => _sts;

    /// <summary>The IAM emulator, which knows every role of the local account; null with <c>--aws</c>.</summary>
    public IamEmulator? Iam { get; private set; }

    /// <summary>dynalite's endpoint; null with <c>--aws</c>.</summary>
    public Uri? DynamoEndpoint => _dynalite?.Endpoint;

    /// <summary>A client of dynalite; null with <c>--aws</c>.</summary>
    public AmazonDynamoDBClient? Dynamo { get; private set; }

    public string TenantsTable { get; private set; } = string.Empty;
    public string LeasesTable { get; private set; } = string.Empty;
    public HttpApiDefinition Api { get; private set; } = null!;
    public ApiGatewayEmulator Gateway { get; private set; } = null!;

    /// <summary>The local admin key: the AWS_IAM authorizer accepts requests it signs, as <see cref="LocalCloudOptions.AdminArn"/>.</summary>
    public IamCredential Admin { get; }

    /// <summary>This run's figures, read from every line the functions print; served at <see cref="DashboardRoutes.Path"/>.</summary>
    public LiveFigures Figures { get; } = new();

    public string Region => Options.Aws?.Region ?? Options.StsRegions[0];

    /// <summary>Every child process alive now: dynalite and the functions' bootstraps.</summary>
    public IReadOnlyList<int> ChildProcessIds => [.. (_dynalite is null ? [] : new[] { _dynalite.ProcessId }), .. Gateway?.ProcessIds ?? []];

    public static async Task<LocalCloudHost> StartAsync(LocalCloudOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = new LocalCloudHost(options);
        try
        {
            await host.StartPartsAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The functions' <c>STS_ENDPOINTS</c>: the emulators in order, or with <c>--aws</c> what the run was given.</summary>
    public string StsEndpoints => Options.Aws is { } aws ? aws.StsEndpoints ?? aws.Region : string.Join(',', _sts.Select(s => $"{s.Region}={s.Endpoint}"));

    /// <summary>The variables every function gets: the template's Globals, pointed at the local parts.</summary>
    public Dictionary<string, string> FunctionEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TENANTS_TABLE"] = TenantsTable,
            ["LEASES_TABLE"] = LeasesTable,
            ["STS_ENDPOINTS"] = StsEndpoints,
            ["ADMIN_PRINCIPAL_ARNS"] = Options.AdminArn,
            ["LEASE_RETENTION_DAYS"] = Api?.ParameterDefaults.GetValueOrDefault("LeaseRetentionDays") ?? "400",
            ["TENANT_CACHE_SECONDS"] = Options.TenantCacheSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                ?? Api?.ParameterDefaults.GetValueOrDefault("TenantCacheSeconds") ?? "5",
            ["LOG_LEVEL"] = Options.LogLevel,
            ["INSECURE_LOOPBACK_ISSUERS"] = "true",
        };
        if (Options.Aws is null)
        {
            env["AWS_ENDPOINT_URL_DYNAMODB"] = _dynalite!.Endpoint.ToString();
            env["AWS_ENDPOINT_URL_IAM"] = Iam!.Endpoint.ToString();
            env["AWS_ACCESS_KEY_ID"] = Options.FunctionAccessKeyId;
            env["AWS_SECRET_ACCESS_KEY"] = Options.FunctionSecretAccessKey;
            AddBrokerEnvironment(env);
        }

        return env;
    }

    /// <summary>A client whose requests the local admin key signs (SigV4, execute-api), based at <see cref="ApiUrl"/>.</summary>
    public HttpClient CreateAdminClient() => new(new SigV4SigningHandler(Admin, Region)) { BaseAddress = ApiUrl };

    private async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        // The issuer's URL is its `iss`, so the port is settled before anything trusts it.
        var port = Options.Port == 0 ? LoopbackWebApp.FreePort() : Options.Port;
        // The API's root is the brokered mode's issuer (the vend function serves its /.well-known routes), so the
        // development issuer lives under a path of its own.
        BrokerIssuer = $"http://127.0.0.1:{port}";
        Issuer = DevelopmentIssuer.CreateMounted($"{BrokerIssuer}{DevelopmentIssuerPath}");
        Api = HttpApiDefinition.Load(RepositoryPaths.Template);
        if (Options.Aws is { } aws)
        {
            (TenantsTable, LeasesTable) = (aws.TenantsTable, aws.LeasesTable);
        }
        else
        {
            await StartDynamoAsync(cancellationToken).ConfigureAwait(false);
            await StartStsAsync(cancellationToken).ConfigureAwait(false);
            await StartIamAsync(cancellationToken).ConfigureAwait(false);
            await StartKmsAsync(cancellationToken).ConfigureAwait(false);
        }

        Gateway = new ApiGatewayEmulator(new ApiGatewayOptions
        {
            Api = Api,
            Launch = Launch,
            MaxConcurrency = Options.MaxConcurrency,
            AllowedOrigins = Options.AllowedOrigins,
            IamCredentials = [Admin],
            Region = Region,
            Log = (function, line) =>
            {
                Figures.Observe(function, line);
                Options.FunctionLog(function, line);
            },
        });
        var app = LoopbackWebApp.CreateBuilder(port).Build();
        Issuer.MapEndpoints(app);
        DevelopmentRoutes.Map(app, this);
        DashboardRoutes.Map(app, Figures);
        Gateway.Mount(app);
        _app = app;
        ApiUrl = await LoopbackWebApp.StartAsync(app, cancellationToken).ConfigureAwait(false);
    }

    private async Task StartDynamoAsync(CancellationToken cancellationToken)
    {
        Options.Progress(Options.DataPath is null ? "starting dynalite (tables in memory)" : $"starting dynalite (data in {Options.DataPath})");
        _dynalite = await Dynalite.StartAsync(Options.DataPath, cancellationToken).ConfigureAwait(false);
        Dynamo = LocalTables.Client(_dynalite.Endpoint);
        (TenantsTable, LeasesTable) = await LocalTables.CreateAsync(Dynamo, Options.TablePrefix, cancellationToken).ConfigureAwait(false);
        Options.Progress($"tables {TenantsTable}, {LeasesTable} as template.yaml defines them");
    }

    private async Task StartStsAsync(CancellationToken cancellationToken)
    {
        var options = new StsEmulatorOptions
        {
            AccountId = Options.AccountId,
            CallerCredentials = new Dictionary<string, string> { [Options.FunctionAccessKeyId] = Options.FunctionSecretAccessKey },
            WebIdentityTrusts = [new WebIdentityTrust(Issuer.Issuer, "credvend-local")],
        };
        foreach (var region in Options.StsRegions)
        {
            _sts.Add(await StsEmulator.StartAsync(options with { Region = region }, cancellationToken).ConfigureAwait(false));
        }

        Options.Progress("STS emulator " + string.Join(", ", _sts.Select(s => $"{s.Region} {s.Endpoint}")));
    }

    private async Task StartIamAsync(CancellationToken cancellationToken)
    {
        // Every role of the account exists, as every role is assumable in the STS emulator: a tenant onboarded locally
        // names any role it likes, and nothing creates it first.
        Iam = await IamEmulator.StartAsync(new IamEmulatorOptions
        {
            AccountId = Options.AccountId,
            CallerCredentials = new Dictionary<string, string> { [Options.FunctionAccessKeyId] = Options.FunctionSecretAccessKey },
            EveryRoleExists = true,
        }, cancellationToken).ConfigureAwait(false);
        Options.Progress($"IAM emulator {Iam.Endpoint}");
    }

    private FunctionLaunch Launch(TemplateFunction function) => new()
    {
        BootstrapPath = Options.BootstrapPath,
        Handler = function.Handler,
        FunctionName = function.LogicalId,
        MemorySizeMb = Api.MemorySizeMb,
        Timeout = Options.FunctionTimeout ?? Api.Timeout,
        Region = Region,
        Environment = FunctionEnvironment(),

        // Locally the function's role is the emulator's key alone: a developer's own AWS_PROFILE or tokens must not leak in.
        RemoveInherited = Options.Aws is null
            ? [.. System.Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => k.ToString()!).Where(k => k.StartsWith("AWS_", StringComparison.Ordinal))]
            : [],
    };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        if (Gateway is not null)
        {
            await Gateway.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var sts in _sts)
        {
            await sts.DisposeAsync().ConfigureAwait(false);
        }

        if (Iam is not null)
        {
            await Iam.DisposeAsync().ConfigureAwait(false);
        }

        if (Issuer is not null)
        {
            await Issuer.DisposeAsync().ConfigureAwait(false);
        }

        if (Kms is not null)
        {
            await Kms.DisposeAsync().ConfigureAwait(false);
        }

        Dynamo?.Dispose();
        if (_dynalite is not null)
        {
            await _dynalite.DisposeAsync().ConfigureAwait(false);
        }
    }
}
