using Amazon.DynamoDBv2;
using Amazon.Runtime;
using CredentialVending.Brokering;
using CredentialVending.Common;
using CredentialVending.Decoding;
using CredentialVending.Functions.Http;
using CredentialVending.Identity;
using CredentialVending.Lambda.Context;
using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Limits;
using CredentialVending.Revocation;
using CredentialVending.Revocation.Iam;
using CredentialVending.Tenants;
using CredentialVending.Vending;

namespace CredentialVending.Functions.Hosting;

/// <summary>
/// What the routes use, built on first use and kept across invocations: AWS clients, the JWKS cache, the stores.
/// Each is built lazily so a function builds only what its routes need (the admin function never makes an STS client).
/// </summary>
public sealed class FunctionServices
{
    // Lambda bills waiting: a call that does not answer in this time is retried or passed over, never waited out.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    // One STS endpoint's share of the template's 10 s timeout, retries included, while another is left to try.
    private static readonly TimeSpan StsEndpointBudget = TimeSpan.FromSeconds(3.5);

    // Every endpoint's together, the last one's included: spent, the vend answers 503 with a Retry-After of its own
    // before the host's deadline (the template's 10 s less FunctionHost's 1 s margin) leaves the tenant read too little.
    private static readonly TimeSpan StsTotalBudget = TimeSpan.FromSeconds(7);

    // KMS signs in milliseconds: a brokered vend gives it one short attempt and quick retries, and keeps STS's budget whole.
    private static readonly TimeSpan KmsAttemptTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KmsBudget = TimeSpan.FromSeconds(1.5);

    private readonly Lazy<IAmazonDynamoDB> _dynamo;
    private readonly Lazy<TenantStore> _tenantStore;
    private readonly Lazy<TenantDirectory> _tenants;
    private readonly Lazy<LeaseStore> _leases;
    private readonly Lazy<TokenAuthenticator> _authenticator;
    private readonly Lazy<RateLimiter> _limiter;
    private readonly Lazy<CredentialVendor> _vendor;
    private readonly Lazy<FailureDecoder> _decoder;
    private readonly Lazy<CallerAuthentication> _callers;
    private readonly Lazy<CallerAuthentication> _vendCallers;
    private readonly Lazy<TenantAdministration> _administration;
    private readonly Lazy<LeaseLedger> _ledger;
    private readonly Lazy<RevocationLedger> _revocations;
    private readonly Lazy<Revoker> _revoker;
    private readonly Lazy<TokenBroker?> _broker;

    /// <param name="logger">The process's logger, for what the services report between a route's calls (a lease not written).</param>
    public FunctionServices(FunctionConfiguration configuration, TimeProvider time, ILambdaLogger? logger = null)
        : this(configuration, time, dynamo: null, logger)
    {
    }

    /// <summary>
    /// Services on a DynamoDB client (and a brokered signing key) of the caller's own: the seam for in-process tests of the
    /// routes and the host.
    /// </summary>
    internal FunctionServices(FunctionConfiguration configuration, TimeProvider time, IAmazonDynamoDB? dynamo, ILambdaLogger? logger = null, IBrokerKey? brokerKey = null)
    {
        Configuration = configuration;
        Time = time;
        _dynamo = new(() => dynamo ?? CreateDynamo(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB")));
        _tenantStore = new(() => new TenantStore(_dynamo.Value, configuration.TenantsTable));
        _tenants = new(() => new TenantDirectory(_tenantStore.Value, configuration.InsecureLoopbackIssuers));
        _leases = new(() => new LeaseStore(_dynamo.Value, configuration.LeasesTable, TimeSpan.FromDays(configuration.LeaseRetentionDays)));
        _authenticator = new(() => new TokenAuthenticator(time, new IssuerFetchRules(configuration.InsecureLoopbackIssuers, Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API"))));
        // Only the vend path reuses documents (within TENANT_CACHE_SECONDS): admin, preview, decode and leases read afresh.
        _limiter = new(() => new RateLimiter(_dynamo.Value, configuration.LeasesTable));
        _vendor = new(() => LeaseWriteFailures.Subscribe(
            new CredentialVendor(CreateIssuer(configuration), Leases, _limiter.Value, time, Broker), logger));
        _broker = new(() => configuration.Broker is not { } broker
            ? null
            : new TokenBroker(broker, brokerKey ?? new KmsBrokerKey(broker.KeyId, configuration.KmsEndpoint, credentials: null, KmsAttemptTimeout, KmsBudget), time));
        _callers = new(() => new CallerAuthentication(Tenants, Authenticator));
        _vendCallers = new(() => new CallerAuthentication(VendTenants(configuration, time), Authenticator, _limiter.Value, time));
        _administration = new(() => new TenantAdministration(_tenantStore.Value, configuration.TenantRoleArnPattern, configuration.InsecureLoopbackIssuers, time));
        _ledger = new(() => new LeaseLedger(Leases));
        _revocations = new(() => new RevocationLedger(_dynamo.Value, configuration.LeasesTable, TimeSpan.FromDays(configuration.LeaseRetentionDays)));
        _revoker = new(() => new Revoker(Leases, new PolicySync(CreateIam(time), new RevocationStateStore(_dynamo.Value, configuration.LeasesTable), time), Revocations, _tenantStore.Value, time));
        _decoder = new(() => new FailureDecoder(new StsMessageDecoder(ParseEndpoints(configuration), credentials: null, AttemptTimeout, StsEndpointBudget, StsTotalBudget), Leases));

        // The table names are the same in every instance of every function of a deployment, and differ between deployments.
        Cursors = new PageCursor($"{configuration.TenantsTable}\n{configuration.LeasesTable}");
    }

    public FunctionConfiguration Configuration { get; }
    public TimeProvider Time { get; }
    public TenantDirectory Tenants => _tenants.Value;
    public LeaseStore Leases => _leases.Value;
    public TokenAuthenticator Authenticator => _authenticator.Value;
    public CredentialVendor Vendor => _vendor.Value;
    public FailureDecoder Decoder => _decoder.Value;
    public TenantAdministration Administration => _administration.Value;
    public TenantPreview Preview => new(Tenants);
    public LeaseLedger Ledger => _ledger.Value;
    public RevocationLedger Revocations => _revocations.Value;
    public Revoker Revoker => _revoker.Value;

    /// <summary>The brokered mode's issuer; null when the function has no BROKER_* settings.</summary>
    public TokenBroker? Broker => _broker.Value;
    public PageCursor Cursors { get; }

    /// <summary>Who may call a Bearer route: vend's (no permission) reuses tenant documents, the operator routes read afresh.</summary>
    public CallerAuthentication CallersFor(BearerAccess access) => access?.Permission is null ? _vendCallers.Value : _callers.Value;

    private TenantDirectory VendTenants(FunctionConfiguration configuration, TimeProvider time) =>
        configuration.TenantCacheSeconds == 0
            ? Tenants
            : new TenantDirectory(_tenantStore.Value, configuration.InsecureLoopbackIssuers, new TenantCache(TimeSpan.FromSeconds(configuration.TenantCacheSeconds), time), time);

    private static LeanDynamoDBClient CreateDynamo(string? endpoint)
    {
        var config = new AmazonDynamoDBConfig
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 2,
            Timeout = AttemptTimeout,
        };
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            config.ServiceURL = endpoint;

            // Without it the SDK finds the region by matching the URL against its patterns on every call (endpoint
            // resolution and signing: 3 % of a warm vend's CPU in bench/results' profile); the function's region says it once.
            config.AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION");
        }

        return new LeanDynamoDBClient(config);
    }

    private static IamQueryClient CreateIam(TimeProvider time)
    {
        var options = IamClientOptions.FromEnvironment(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_IAM"));
        return options.IsRefused
            ? throw new InvalidOperationException("AWS_ENDPOINT_URL_IAM: " + options.Refusal!.Detail)
            : new IamQueryClient(new HttpClient(), credentials: null, options.Value! with { AttemptTimeout = AttemptTimeout }, time);
    }

    private static StsCredentialIssuer CreateIssuer(FunctionConfiguration configuration) =>
        new(ParseEndpoints(configuration), credentials: null, AttemptTimeout, StsEndpointBudget, StsTotalBudget);

    private static IReadOnlyList<StsEndpoint> ParseEndpoints(FunctionConfiguration configuration)
    {
        var endpoints = StsEndpoints.Parse(configuration.StsEndpoints);
        return endpoints.IsRefused
            ? throw new InvalidOperationException("STS_ENDPOINTS: " + endpoints.Refusal!.Detail)
            : endpoints.Value!;
    }
}
