using CredentialVending.Common;

namespace CredentialVending.Functions.Hosting;

/// <summary>The function's configuration, from the environment variables of API.md.</summary>
public sealed record FunctionConfiguration
{
    public required string TenantsTable { get; init; }
    public required string LeasesTable { get; init; }
    public required string StsEndpoints { get; init; }
    public IReadOnlyList<string> AdminPrincipalArns { get; init; } = [];

    /// <summary>The roles a tenant may name (TENANT_ROLE_ARN_PATTERN); null: any role.</summary>
    public string? TenantRoleArnPattern { get; init; }
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

        var admins = (read("ADMIN_PRINCIPAL_ARNS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // Any AWS account can sign a request to an AWS_IAM route: a pattern that spans accounts lets every one of them in.
        if (admins.FirstOrDefault(pattern => !ArnPatterns.NamesOneAccount(pattern)) is { } wide)
        {
            return Refusal.InvalidRequest(
                $"ADMIN_PRINCIPAL_ARNS holds '{wide}': each pattern must be arn:<partition>:<service>:<region>:<12-digit account>:<resource>, " +
                "with '*' only in the resource, since any AWS account can sign a request to an AWS_IAM route.");
        }

        var rolePattern = read("TENANT_ROLE_ARN_PATTERN");
        if (!string.IsNullOrWhiteSpace(rolePattern) && !ArnPatterns.IsRolePattern(rolePattern.Trim()))
        {
            return Refusal.InvalidRequest(
                $"TENANT_ROLE_ARN_PATTERN is '{rolePattern}': it must be arn:aws:iam::<12-digit account or *>:role/<path and name, * allowed>, as the template's TenantRoleArnPattern.");
        }

        return new FunctionConfiguration
        {
            TenantsTable = read("TENANTS_TABLE")!,
            LeasesTable = read("LEASES_TABLE")!,
            StsEndpoints = string.IsNullOrWhiteSpace(sts) ? region! : sts,
            AdminPrincipalArns = admins,
            TenantRoleArnPattern = string.IsNullOrWhiteSpace(rolePattern) ? null : rolePattern.Trim(),
            LeaseRetentionDays = retention is null ? 400 : int.Parse(retention, System.Globalization.CultureInfo.InvariantCulture),
            InsecureLoopbackIssuers = string.Equals(read("INSECURE_LOOPBACK_ISSUERS"), "true", StringComparison.OrdinalIgnoreCase),
            LogLevel = read("LOG_LEVEL") ?? "info",
        };
    }
}
