using CredentialVending.Brokering;
using CredentialVending.Common;

namespace CredentialVending.Functions.Hosting;

/// <summary>The function's configuration, from the environment variables of docs/api.md.</summary>
public sealed record FunctionConfiguration
{
    public required string TenantsTable { get; init; }
    public required string LeasesTable { get; init; }
    public required string StsEndpoints { get; init; }
    public IReadOnlyList<string> AdminPrincipalArns { get; init; } = [];

    /// <summary>A suspension must reach the vend path within minutes at the most, whatever the setting.</summary>
    public const int MaxTenantCacheSeconds = 300;

    /// <summary>The roles a tenant may name (TENANT_ROLE_ARN_PATTERN); null: any role.</summary>
    public string? TenantRoleArnPattern { get; init; }
    public int LeaseRetentionDays { get; init; } = 400;

    /// <summary>How long the vend path may reuse a tenant document it read (TENANT_CACHE_SECONDS); 0: never.</summary>
    public int TenantCacheSeconds { get; init; } = 5;
    public bool InsecureLoopbackIssuers { get; init; }
    public string LogLevel { get; init; } = "info";

    /// <summary>The brokered mode's key, issuer and audience (BROKER_*); null when the deployment has none.</summary>
    public BrokerSettings? Broker { get; init; }

    /// <summary>AWS_ENDPOINT_URL_KMS: where KMS is, for a local KMS; null for the region's.</summary>
    public Uri? KmsEndpoint { get; init; }

    /// <summary>
    /// The problems that stop the function at init (an init error posted to the Runtime API) rather than answering 503:
    /// the patterns that decide who may onboard tenants and which roles they may name. A pattern that spans accounts
    /// would let any AWS account in, so the function must not serve at all until it is fixed.
    /// </summary>
    public static string? InitProblem(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);

        // Any AWS account can sign a request to an AWS_IAM route: a pattern that spans accounts lets every one of them in.
        if (AdminPatterns(read).FirstOrDefault(pattern => !ArnPatterns.NamesOneAccount(pattern)) is { } wide)
        {
            return $"ADMIN_PRINCIPAL_ARNS holds '{wide}': each pattern must be arn:<partition>:<service>:<region>:<12-digit account>:<resource>, " +
                "with '*' only in the resource, since any AWS account can sign a request to an AWS_IAM route.";
        }

        return RolePattern(read) is { } rolePattern && !ArnPatterns.IsRolePattern(rolePattern)
            ? $"TENANT_ROLE_ARN_PATTERN is '{rolePattern}': it must be arn:aws:iam::<12-digit account or *>:role/<path and name, * allowed>, as the template's TenantRoleArnPattern."
            : null;
    }

    private static string[] AdminPatterns(Func<string, string?> read) =>
        (read("ADMIN_PRINCIPAL_ARNS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? RolePattern(Func<string, string?> read) =>
        read("TENANT_ROLE_ARN_PATTERN") is { } pattern && !string.IsNullOrWhiteSpace(pattern) ? pattern.Trim() : null;

    /// <summary>Reads the configuration; a missing required variable is a problem the operator must fix, named in the message.</summary>
    public static Outcome<FunctionConfiguration> FromVariables(Func<string, string?> read)
    {
        var missing = new[] { "TENANTS_TABLE", "LEASES_TABLE" }.Where(name => string.IsNullOrWhiteSpace(read(name))).ToArray();
        var region = read("AWS_REGION") ?? read("AWS_DEFAULT_REGION");
        var sts = read("STS_ENDPOINTS");
        if (string.IsNullOrWhiteSpace(sts) && string.IsNullOrWhiteSpace(region))
        {
            missing = [.. missing, "STS_ENDPOINTS (or AWS_REGION)"];
        }

        if (missing.Length > 0)
        {
            return Refusal.InvalidRequest($"The function's environment lacks {string.Join(", ", missing)}.");
        }

        var retention = read("LEASE_RETENTION_DAYS");
        if (retention is not null && (!int.TryParse(retention, out var days) || days < 0))
        {
            return Refusal.InvalidRequest($"LEASE_RETENTION_DAYS must be a whole number of days, not '{retention}'.");
        }

        var cache = read("TENANT_CACHE_SECONDS");
        if (cache is not null && (!int.TryParse(cache, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds > MaxTenantCacheSeconds))
        {
            return Refusal.InvalidRequest($"TENANT_CACHE_SECONDS must be a whole number of seconds from 0 to {MaxTenantCacheSeconds}, not '{cache}'.");
        }

        if (InitProblem(read) is { } initProblem)
        {
            return Refusal.InvalidRequest(initProblem);
        }

        // Checked here, not at the first STS call, so a bad value is the same 503 on every route with the cause logged.
        var endpoints = string.IsNullOrWhiteSpace(sts) ? region! : sts;
        if (Issuing.StsEndpoints.Parse(endpoints).Refusal is { } badEndpoints)
        {
            return Refusal.InvalidRequest("STS_ENDPOINTS: " + badEndpoints.Detail);
        }

        var insecureLoopback = string.Equals(read("INSECURE_LOOPBACK_ISSUERS"), "true", StringComparison.OrdinalIgnoreCase);
        var broker = BrokerSettings.FromVariables(read, insecureLoopback);
        if (broker.Refusal is { } badBroker)
        {
            return badBroker;
        }

        Uri? kms = null;
        if (read("AWS_ENDPOINT_URL_KMS") is { Length: > 0 } kmsUrl && !EndpointUrls.TryParse(kmsUrl, out kms, out var kmsProblem))
        {
            return Refusal.InvalidRequest("AWS_ENDPOINT_URL_KMS: " + kmsProblem);
        }

        return new FunctionConfiguration
        {
            TenantsTable = read("TENANTS_TABLE")!,
            LeasesTable = read("LEASES_TABLE")!,
            StsEndpoints = endpoints,
            AdminPrincipalArns = AdminPatterns(read),
            TenantRoleArnPattern = RolePattern(read),
            TenantCacheSeconds = cache is null ? 5 : int.Parse(cache, System.Globalization.CultureInfo.InvariantCulture),
            LeaseRetentionDays = retention is null ? 400 : int.Parse(retention, System.Globalization.CultureInfo.InvariantCulture),
            InsecureLoopbackIssuers = string.Equals(read("INSECURE_LOOPBACK_ISSUERS"), "true", StringComparison.OrdinalIgnoreCase),
            LogLevel = read("LOG_LEVEL") ?? "info",
            Broker = broker.Value,
            KmsEndpoint = kms,
        };
    }
}
