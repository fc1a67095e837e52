using CredentialVending.Common;
using CredentialVending.Functions.Http;

namespace CredentialVending.Functions.Routes;

/// <summary>GET /v1/tenants/{tenantId}/leases/{leaseId}: one of the tenant's leases, for callers holding its <c>leases</c> permission.</summary>
public static class GetLeaseRoute
{
    public static async Task<RouteResult> HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        var tenantId = context.Caller.Tenant.TenantId;
        var lease = await context.Services.Ledger.GetAsync(tenantId, context.Path("leaseId"), cancellationToken).ConfigureAwait(false);
        return lease is null
            ? new Refusal(Codes.NotFound, $"Tenant {tenantId} has no lease with that id.")
            : RouteResult.Json(200, LeaseView.From(lease), FunctionsJsonContext.Default.LeaseView);
    }
}
