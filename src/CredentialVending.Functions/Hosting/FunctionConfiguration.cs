using CredentialVending.Common;

namespace CredentialVending.Functions.Hosting;

/// <summary>The function's configuration, from the environment variables of API.md.</summary>
public sealed record FunctionConfiguration
{
    public required string TenantsTable { get; init; }
    public required string LeasesTable { get; init; }
    public required string StsEndpoints { get; init; }
    public IReadOnlyList<string> AdminPrincipalArns { get; init; } = [];
    public int LeaseRetentionDays { get; init; } = 400;
    public bool InsecureLoopbackIssuers { get; init; }
    public string LogLevel { get; init; } = "info";

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

        // Checked here, not at the first STS call, so a bad value is the same 503 on every route with the cause logged.
        var endpoints = string.IsNullOrWhiteSpace(sts) ? region! : sts;
        if (Issuing.StsEndpoints.Parse(endpoints).Refusal is { } badEndpoints)
        {
            return Refusal.InvalidRequest("STS_ENDPOINTS: " + badEndpoints.Detail);
        }

        return new FunctionConfiguration
        {
            TenantsTable = read("TENANTS_TABLE")!,
            LeasesTable = read("LEASES_TABLE")!,
            StsEndpoints = endpoints,
            AdminPrincipalArns = (read("ADMIN_PRINCIPAL_ARNS") ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            LeaseRetentionDays = retention is null ? 400 : int.Parse(retention, System.Globalization.CultureInfo.InvariantCulture),
            InsecureLoopbackIssuers = string.Equals(read("INSECURE_LOOPBACK_ISSUERS"), "true", StringComparison.OrdinalIgnoreCase),
            LogLevel = read("LOG_LEVEL") ?? "info",
        };
    }
}
