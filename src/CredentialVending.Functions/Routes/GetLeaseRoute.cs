using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Routes;

/// <summary>GET /v1/tenants/{tenantId}/leases/{leaseId}: one lease.</summary>
public static class GetLeaseRoute
{
    public static Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken) =>
        Task.FromResult(NotImplementedYet.Answer(context));
}
