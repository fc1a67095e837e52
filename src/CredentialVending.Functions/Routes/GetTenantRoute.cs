using CredentialVending.Functions.Http;

namespace CredentialVending.Functions.Routes;

/// <summary>GET /admin/tenants/{tenantId}: the stored tenant document with its version and ETag.</summary>
public static class GetTenantRoute
{
    public static async Task<RouteResult> HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        var stored = await context.Services.Administration.GetAsync(context.Path("tenantId"), cancellationToken).ConfigureAwait(false);
        return stored.IsRefused ? stored.Refusal! : TenantAnswer.From(stored.Value!, 200);
    }
}
