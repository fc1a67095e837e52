using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Routes;

/// <summary>POST /admin/tenants/{tenantId}/preview: what a caller with given claims would get, without STS.</summary>
public static class PreviewTenantRoute
{
    public static Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken) =>
        Task.FromResult(NotImplementedYet.Answer(context));
}
