using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Routes;

/// <summary>POST and GET /v1/tenants/{tenantId}/credentials: scoped credentials for the caller, recorded as a lease.</summary>
public static class VendCredentialsRoute
{
    public static Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken) =>
        Task.FromResult(NotImplementedYet.Answer(context));
}
