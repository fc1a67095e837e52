using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Events;
using CredentialVending.Leases;

namespace CredentialVending.Functions.Routes;

/// <summary>GET /v1/tenants/{tenantId}/leases/{leaseId}: one of the tenant's leases, for callers holding its <c>leases</c> permission.</summary>
public static class GetLeaseRoute
{
    private static readonly Dictionary<string, string> NoStore = new() { ["cache-control"] = "no-store" };

    public static async Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        var access = await OperatorAccess.CheckAsync(context, "leases", p => p.Leases, cancellationToken).ConfigureAwait(false);
        if (access.IsRefused)
        {
            return HttpAnswer.Problem(access.Refusal!, context.RequestId);
        }

        // Only a ULID can be a lease id: anything else is answered without a read, and never echoed.
        var leaseId = context.Path("leaseId");
        var tenantId = access.Value.Tenant.TenantId;
        var lease = Ulid.IsValid(leaseId)
            ? await DynamoFailures.GuardAsync(() => context.Services.Leases.GetAsync(tenantId, leaseId, cancellationToken)).ConfigureAwait(false)
            : null;
        return lease is null
            ? HttpAnswer.Problem(Codes.NotFound, $"Tenant {tenantId} has no lease with that id.", context.RequestId)
            : HttpAnswer.Json(200, LeaseView.From(lease), FunctionsJsonContext.Default.LeaseView, NoStore);
    }
}
