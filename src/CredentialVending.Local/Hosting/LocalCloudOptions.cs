using CredentialVending.Local.ApiGateway;

namespace CredentialVending.Local.Hosting;

/// <summary>The real AWS parts the <c>--aws</c> run uses instead of dynalite and the STS emulator.</summary>
/// <param name="Region">The region of the tables and of the STS endpoint.</param>
/// <param name="TenantsTable">An existing tenants table (as the template creates it).</param>
/// <param name="LeasesTable">An existing leases table.</param>
/// <param name="StsEndpoints">The functions' <c>STS_ENDPOINTS</c>; null: <paramref name="Region"/>'s regional endpoint.</param>
public sealed record AwsTarget(string Region, string TenantsTable, string LeasesTable, string? StsEndpoints = null);

/// <summary>How to assemble a <see cref="LocalCloudHost"/>.</summary>
public sealed record LocalCloudOptions
{
    /// <summary>The bootstrap every function runs.</summary>
    public required string BootstrapPath { get; init; }

    /// <summary>The API's loopback port (the development issuer shares it); 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>dynalite's data folder, kept across runs; null keeps the tables in memory.</summary>
    public string? DataPath { get; init; }

    /// <summary>Table names are this prefix and the template's logical id (local-TenantsTable).</summary>
    public string TablePrefix { get; init; } = "local-";

    /// <summary>One STS emulator per region, tried in this order (STS_ENDPOINTS).</summary>
    public IReadOnlyList<string> StsRegions { get; init; } = ["us-east-1"];

    public string AccountId { get; init; } = "123456789012";

    /// <summary>Who the local admin key signs as; it is also the function's ADMIN_PRINCIPAL_ARNS.</summary>
    public string AdminArn { get; init; } = "arn:aws:iam::123456789012:user/local-admin";

    public string AdminAccessKeyId { get; init; } = "AKIALOCALADMIN000001";

    /// <summary>The admin key's secret; null makes a new one for this run, so a key seen once works nowhere else.</summary>
    public string? AdminSecretAccessKey { get; init; }

    /// <summary>The credentials of the functions' role, the only caller the STS emulator trusts.</summary>
    public string FunctionAccessKeyId { get; init; } = "AKIALOCALVENDFUNCTION";

    public string FunctionSecretAccessKey { get; init; } = "localVendFunctionSecretKey0000000000000000";

    /// <summary>The functions' TENANT_CACHE_SECONDS; null: the template's default.</summary>
    public int? TenantCacheSeconds { get; init; }

    /// <summary>The functions' LOG_LEVEL.</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>
    /// Overrides the template's function timeout. The test suite sets a longer one: under a loaded CI machine the JIT
    /// bootstrap's first invocation can take seconds, and a test checks behaviour, never time.
    /// </summary>
    public TimeSpan? FunctionTimeout { get; init; }

    /// <summary>Processes per function at most.</summary>
    public int MaxConcurrency { get; init; } = 4;

    public IReadOnlyList<string> AllowedOrigins { get; init; } = CorsPolicy.DefaultOrigins;

    /// <summary>Every line a function writes, with the function's name.</summary>
    public Action<string, string> FunctionLog { get; init; } = (_, _) => { };

    /// <summary>Progress while the parts start.</summary>
    public Action<string> Progress { get; init; } = _ => { };

    /// <summary>Set for <c>--aws</c>: real DynamoDB and STS of the caller's profile, no dynalite and no STS emulator.</summary>
    public AwsTarget? Aws { get; init; }
}
