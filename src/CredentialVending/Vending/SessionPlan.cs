using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Scoping;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>What a caller would be given: the scopes, the rendered session policy and tags, the duration.</summary>
public sealed record SessionPlan(IReadOnlyList<Scope> Scopes, RenderedSession Session, int DurationSeconds);

/// <summary>
/// Steps 2 to 4 of docs/api.md's "Credentials": scopes, duration, rendering. Shared by the vend route and the admin
/// preview, so a preview answers exactly what a real request would get.
/// </summary>
public static class SessionPlanner
{
    public static Outcome<SessionPlan> Plan(TenantDocument tenant, string subject, ClaimSet claims, IReadOnlyList<string>? requestedScopes, int? durationSeconds)
    {
        var scopes = ScopeSelector.Select(tenant, requestedScopes, claims);
        if (scopes.IsRefused)
        {
            return scopes.Refusal!;
        }

        var duration = durationSeconds ?? tenant.Issuance.DefaultDurationSeconds;
        if (duration < 900 || duration > tenant.Issuance.MaxDurationSeconds)
        {
            return new Refusal(Codes.InvalidDuration, $"durationSeconds must be between 900 and {tenant.Issuance.MaxDurationSeconds} for this tenant.");
        }

        var session = SessionRenderer.Render(tenant, scopes.Value!, subject, claims);
        if (session.IsRefused)
        {
            return session.Refusal!;
        }

        return new SessionPlan(scopes.Value!, session.Value!, duration);
    }
}
