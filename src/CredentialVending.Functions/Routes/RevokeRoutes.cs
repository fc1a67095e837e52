using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;
using CredentialVending.Revocation;
using CredentialVending.Tenants;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// The revoke function's routes (docs/api.md, "Revocation"): a tenant operator holding the <c>revoke</c> permission
/// revokes one lease or a subject; incident response (AWS_IAM) revokes a lease, a subject or the whole tenant, and
/// lists what was revoked. A revocation answers 202: IAM applies the role's policy within a few minutes.
/// </summary>
public static class RevokeRoutes
{
    private const int MaxListLimit = 100;

    /// <summary>POST /v1/tenants/{tenantId}/leases/{leaseId}/revoke.</summary>
    public static Task<RouteResult> RevokeLeaseAsync(RouteContext context, RevocationAsk ask, CancellationToken cancellationToken)
    {
        var (tenant, caller) = context.Caller;
        return RevokeAsync(context, tenant, RevocationTarget.Lease(context.Path("leaseId")), ask.Reason, "subject:" + caller.Subject, cancellationToken);
    }

    /// <summary>POST /v1/tenants/{tenantId}/revocations with <c>{ "subject", "reason" }</c>.</summary>
    public static Task<RouteResult> RevokeSubjectAsync(RouteContext context, RevocationAsk ask, CancellationToken cancellationToken)
    {
        var (tenant, caller) = context.Caller;
        return RevokeAsync(context, tenant, ask.Target!, ask.Reason, "subject:" + caller.Subject, cancellationToken);
    }

    /// <summary>POST /admin/tenants/{tenantId}/revocations with <c>{ "leaseId" | "subject" | "all": true, "reason" }</c>.</summary>
    public static async Task<RouteResult> AdminRevokeAsync(RouteContext context, RevocationAsk ask, CancellationToken cancellationToken)
    {
        var tenant = await context.Services.Tenants.LoadAsync(context.Path("tenantId"), cancellationToken).ConfigureAwait(false);
        return tenant.IsRefused
            ? tenant.Refusal!
            : await RevokeAsync(context, tenant.Value!, ask.Target!, ask.Reason, context.IamPrincipal ?? "(unknown)", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The list's query: <c>limit</c> and <c>cursor</c>, as the tenant listing takes them.</summary>
    public static Outcome<(int Limit, string? Cursor)> ReadPage(RouteContext context) => ListTenantsRoute.Read(context);

    /// <summary>GET /admin/tenants/{tenantId}/revocations: the tenant's revocations, newest first, paged by <c>cursor</c>.</summary>
    public static async Task<RouteResult> ListAsync(RouteContext context, (int Limit, string? Cursor) read, CancellationToken cancellationToken)
    {
        var tenant = await context.Services.Tenants.LoadAsync(context.Path("tenantId"), cancellationToken).ConfigureAwait(false);
        if (tenant.IsRefused)
        {
            return tenant.Refusal!;
        }

        var tenantId = tenant.Value!.TenantId;
        var binding = PageCursor.Binding("revocations", tenantId);
        var after = context.Services.Cursors.OpenIfAny(read.Cursor, binding);
        if (after.IsRefused)
        {
            return after.Refusal!;
        }

        var (items, next) = await context.Services.Revocations.ListAsync(tenantId, Math.Min(read.Limit, MaxListLimit), after.Value, cancellationToken).ConfigureAwait(false);
        return RouteResult.Json(200, new RevocationPageView([.. items.Select(RevocationRecordView.From)], next is null ? null : context.Services.Cursors.Seal(binding, next)), FunctionsJsonContext.Default.RevocationPageView);
    }

    private static async Task<RouteResult> RevokeAsync(RouteContext context, TenantDocument tenant, RevocationTarget target, string? reason, string revokedBy, CancellationToken cancellationToken)
    {
        var revoked = await context.Services.Revoker.RevokeAsync(new RevokeRequest(tenant, target, reason, revokedBy), cancellationToken).ConfigureAwait(false);
        if (revoked.IsRefused)
        {
            return revoked.Refusal!;
        }

        var record = revoked.Value!;

        // What was revoked, by whom and why is an incident's record: in the log as in the ledger.
        context.Logger.Log(LogLevel.Info, "Revoked.", [
            new("tenantId", tenant.TenantId), new("revocationId", record.RevocationId), new("kind", target.Kind.ToString()),
            new("leaseId", target.LeaseId), new("revokedBy", revokedBy), new("merged", record.Merged ? "true" : "false")]);
        return RouteResult.Json(202, RevocationView.From(record), FunctionsJsonContext.Default.RevocationView);
    }
}
