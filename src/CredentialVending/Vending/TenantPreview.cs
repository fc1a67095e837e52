using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>
/// What a caller with the given claims would be given, computed by the same <see cref="SessionPlanner"/> as a real
/// request and refused the same way, without calling STS. Beside the vendor, not in <see cref="TenantAdministration"/>:
/// it is a vend without a token or STS, and Tenants/ is a floor below Vending/.
/// </summary>
public sealed class TenantPreview
{
    private readonly TenantDirectory _tenants;

    public TenantPreview(TenantDirectory tenants) => _tenants = tenants;

    public async Task<Outcome<(TenantDocument Tenant, SessionPlan Plan)>> PreviewAsync(
        string tenantId, ClaimSet claims, IReadOnlyList<string>? scopes, int? durationSeconds, CancellationToken cancellationToken)
    {
        var tenant = await _tenants.LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (tenant.IsRefused)
        {
            return tenant.Refusal!;
        }

        var plan = Plan(tenant.Value!, claims, scopes, durationSeconds);
        return plan.IsRefused ? plan.Refusal! : (tenant.Value!, plan.Value!);
    }

    /// <summary>The checks of a real request after its token's signature, in the same order: tenant claim, status, then the plan.</summary>
    private static Outcome<SessionPlan> Plan(TenantDocument tenant, ClaimSet claims, IReadOnlyList<string>? scopes, int? durationSeconds)
    {
        var identity = tenant.Identity;
        var subject = claims.GetString(identity.SubjectClaim);
        if (string.IsNullOrEmpty(subject))
        {
            // A real request would be 401 invalid_token; a preview has no token, so the operator's input is what is wrong.
            return Refusal.InvalidRequest($"claims must carry the tenant's subject claim '{identity.SubjectClaim}' as a string.");
        }

        if (identity.TenantClaim is { } tenantClaim && claims.GetString(tenantClaim) != tenant.TenantId)
        {
            return new Refusal(Codes.TenantMismatch, $"The claims' {tenantClaim} claim does not name tenant {tenant.TenantId}.");
        }

        return CallerAuthentication.Issuable(tenant, claims) is { } refused
            ? refused
            : SessionPlanner.Plan(tenant, subject, claims, scopes, durationSeconds);
    }
}
