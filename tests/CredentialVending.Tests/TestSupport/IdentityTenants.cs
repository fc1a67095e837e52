using CredentialVending.Tenants;

namespace CredentialVending.Tests.TestSupport;

/// <summary>Tenant documents for identity and issuing tests: only the identity block varies.</summary>
public static class IdentityTenants
{
    public const string Audience = "credvend-local";

    public static TenantDocument For(string issuer, string? tenantClaim = null, string subjectClaim = "sub", params string[] audiences) => new()
    {
        TenantId = "acme",
        Status = TenantStatus.Active,
        Identity = new IdentitySettings
        {
            Issuer = issuer,
            Audiences = audiences.Length == 0 ? [Audience] : audiences,
            SubjectClaim = subjectClaim,
            TenantClaim = tenantClaim,
        },
        Issuance = new IssuanceSettings { Mode = IssuanceMode.AssumeRole, RoleArn = "arn:aws:iam::123456789012:role/tenant-acme" },
        Scopes = [],
    };
}
