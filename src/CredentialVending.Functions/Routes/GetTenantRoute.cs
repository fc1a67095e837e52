using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Routes;

/// <summary>GET /admin/tenants/{tenantId}: the stored tenant document with its version and ETag.</summary>
public static class GetTenantRoute
{
    public static async Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        if (AdminAuthorization.Check(context) is { } denied)
        {
            return HttpAnswer.Problem(denied, context.RequestId);
        }

        var tenantId = context.Path("tenantId");
        var stored = await DynamoFailures.GuardAsync(() => context.Services.Tenants.Store.GetAsync(tenantId, cancellationToken)).ConfigureAwait(false);
        return stored is null
            ? HttpAnswer.Problem(Codes.TenantNotFound, $"No tenant '{tenantId}' is onboarded.", context.RequestId)
            : TenantAnswer.From(stored, 200);
    }
}
