using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Routes;

/// <summary>GET /admin/tenants: the tenants, paged.</summary>
public static class ListTenantsRoute
{
    public static Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken) =>
        Task.FromResult(NotImplementedYet.Answer(context));
}
