using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Routes;

/// <summary>PUT /admin/tenants/{tenantId}: creates or updates a tenant document.</summary>
public static class PutTenantRoute
{
    public static Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken) =>
        Task.FromResult(NotImplementedYet.Answer(context));
}
