using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using CredentialVending.Functions.Http;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Kms;
using CredentialVending.Local.Lambda;
using CredentialVending.Local.Oidc;
using CredentialVending.Local.Sts;

namespace CredentialVending.SystemTests.Support;

/// <summary>
/// The local cloud the end-to-end tests run the real bootstrap in, assembled by <see cref="LocalCloudHost"/> as the run
/// command assembles it: dynalite with the template's tables, two STS emulator endpoints (for failover), the development
/// OIDC issuer and the API Gateway emulator on one loopback port. <see cref="SendAsync"/> and <see cref="InvokeAsync"/>
/// invoke a function directly (one bootstrap process per function); <see cref="Api"/> and <see cref="AdminApi"/> go
/// through real HTTP and the emulator. Every line any function writes is kept, for the secret scans.
/// </summary>
public sealed class LocalCloud : IAsyncLifetime
{
    public const string AdminArn = "arn:aws:iam::123456789012:role/onboarding";
    public const string FunctionAccessKey = "AKIALOCALVENDFUNCTION";
    public const string FunctionSecret = "localVendFunctionSecretKey0000000000000000";
    public const string AccountId = "123456789012";

    /// <summary>
    /// Longer than the template's 10 s: on a loaded CI machine the JIT bootstrap's first invocation can take seconds,
    /// and these tests check behaviour, never time. Timeouts themselves are tested with hangs far past it.
    /// </summary>
    public static readonly TimeSpan FunctionTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, FunctionInstance> _functions = new();
    private readonly SemaphoreSlim _starting = new(1, 1);

    public ConcurrentQueue<string> Logs { get; } = new();
    public StsEmulator Sts { get; private set; } = null!;
    public StsEmulator StsWest { get; private set; } = null!;
    public DevelopmentIssuer Issuer { get; private set; } = null!;
    public AmazonDynamoDBClient Dynamo { get; private set; } = null!;
    public string TenantsTable { get; private set; } = string.Empty;
    public string LeasesTable { get; private set; } = string.Empty;

    /// <summary>
    /// The KMS emulator holding the brokered mode's signing key (<see cref="LocalCloudHost.BrokerKeyArn"/>). A test switches
    /// its faults on and off: <c>Kms.Faults.Set(StsFault.Hang(...))</c>, <c>Kms.Down = true</c>,
    /// <c>Kms.SetKeyState(Host.BrokerKeyArn!, KmsKeyState.Disabled)</c>; it must put them back, as the cloud is shared.
    /// </summary>
    public KmsEmulator Kms => Host.Kms!;

    /// <summary>The assembled local cloud, for what the members here do not cover (the gateway's pools, the admin key).</summary>
    public LocalCloudHost Host { get; private set; } = null!;

    /// <summary>The API Gateway emulator's base URL (also the development issuer's).</summary>
    public Uri ApiUrl => Host.ApiUrl;

    /// <summary>A client of the API over HTTP, through the API Gateway emulator, as an app calls it.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>Like <see cref="Api"/>, with each request SigV4-signed by the local admin key (signed as <see cref="AdminArn"/>).</summary>
    public HttpClient AdminApi { get; private set; } = null!;

    /// <summary>The bootstrap the tests run: the JIT build of this test run's configuration.</summary>
    public static string Bootstrap => RepositoryPaths.JitBootstrap(AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Host = await LocalCloudHost.StartAsync(new LocalCloudOptions
        {
            BootstrapPath = Bootstrap,
            TablePrefix = "test-",

            // Tests change tenants and vend at once: the cache's bound has tests of its own (TenantCacheTests).
            TenantCacheSeconds = 0,
            StsRegions = ["us-east-1", "us-west-2"],
            AccountId = AccountId,
            AdminArn = AdminArn,
            FunctionAccessKeyId = FunctionAccessKey,
            FunctionSecretAccessKey = FunctionSecret,
            LogLevel = "debug",
            FunctionTimeout = FunctionTimeout,
            FunctionLog = (_, line) => Logs.Enqueue(line),
        });
        (Sts, StsWest, Issuer, Dynamo) = (Host.Sts[0], Host.Sts[1], Host.Issuer, Host.Dynamo!);
        (TenantsTable, LeasesTable) = (Host.TenantsTable, Host.LeasesTable);
        Api = new HttpClient { BaseAddress = Host.ApiUrl };
        AdminApi = Host.CreateAdminClient();
    }

    /// <summary>The variables every function gets, as the template sets them, pointed at the local parts.</summary>
    public Dictionary<string, string> FunctionEnvironment() => Host.FunctionEnvironment();

    /// <summary>The running instance of a function, started on first use.</summary>
    public async Task<FunctionInstance> FunctionAsync(string handler)
    {
        if (_functions.TryGetValue(handler, out var running) && !running.HasExited)
        {
            return running;
        }

        await _starting.WaitAsync();
        try
        {
            if (_functions.TryGetValue(handler, out running) && !running.HasExited)
            {
                return running;
            }

            var instance = await StartAsync(handler, FunctionEnvironment());
            _functions[handler] = instance;
            return instance;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>A separate instance with its own variables; the caller disposes it.</summary>
    public async Task<FunctionInstance> StartAsync(string handler, IReadOnlyDictionary<string, string> environment)
    {
        var instance = await FunctionInstance.StartAsync(
            new FunctionLaunch { BootstrapPath = Bootstrap, Handler = handler, FunctionName = "credvend-" + handler, Environment = environment, Timeout = FunctionTimeout },
            Logs.Enqueue);
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await instance.WaitReadyAsync(ready.Token);
        return instance;
    }

    /// <summary>Sends a request to the function the route table names for it, as API Gateway would.</summary>
    public async Task<Answer> SendAsync(HttpApiRequest request)
    {
        var (handler, routed) = Route(request);
        return await InvokeAsync(handler, HttpApiEvent.Create(routed, DateTimeOffset.UtcNow));
    }

    /// <summary>Sends a request to an instance of its own (<see cref="StartAsync"/>), routed as <see cref="SendAsync(HttpApiRequest)"/> routes it.</summary>
    public static async Task<Answer> SendAsync(FunctionInstance function, HttpApiRequest request)
    {
        var result = await function.InvokeAsync(HttpApiEvent.Create(Route(request).Routed, DateTimeOffset.UtcNow));
        Assert.True(result.Succeeded, $"The function reported an error: {result.ErrorType} {result.ErrorBody}");
        return Answer.Parse(result.Response!);
    }

    /// <summary>The function the route table names for a request, and the request with API Gateway's route key and path parameters.</summary>
    private static (string Handler, HttpApiRequest Routed) Route(HttpApiRequest request)
    {
        var route = RouteTable.All.FirstOrDefault(r => r.Method == request.Method && RouteMatcher.TryMatch(r.Path, request.Path, out _));
        var handler = route?.Function ?? (request.Path.StartsWith("/admin", StringComparison.Ordinal) ? RouteTable.Admin : RouteTable.Vend);
        var parameters = route is not null && RouteMatcher.TryMatch(route.Path, request.Path, out var found) ? found : null;
        return (handler, request with { RouteKey = route?.RouteKey ?? "$default", PathParameters = parameters });
    }

    public async Task<Answer> InvokeAsync(string handler, byte[] payload)
    {
        var function = await FunctionAsync(handler);
        var result = await function.InvokeAsync(payload);
        Assert.True(result.Succeeded, $"The {handler} function reported an error: {result.ErrorType} {result.ErrorBody}");
        return Answer.Parse(result.Response!);
    }

    public async Task DisposeAsync()
    {
        foreach (var function in _functions.Values)
        {
            await function.DisposeAsync();
        }

        Api?.Dispose();
        AdminApi?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        _starting.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalCloudCollection : ICollectionFixture<LocalCloud>
{
    public const string Name = "local cloud";
}
