using CredentialVending.Functions.Http;
using CredentialVending.Functions.Routes;

using static CredentialVending.Functions.Http.RouteAccess;

namespace CredentialVending.Functions;

/// <summary>
/// Every route of docs/api.md, the function (<c>_HANDLER</c>) that serves it and who may call it (<see cref="RouteAccess"/>,
/// enforced by the host before the handler runs): the table of contents of the service.
/// Add a route:
/// <list type="number">
/// <item>one file in Routes/: a <c>Read</c> of the query or body (no I/O; <see cref="BodyReader"/> for a body) when it takes
/// any, and a handler that returns a result or a <see cref="Common.Refusal"/>;</item>
/// <item>one line here;</item>
/// <item>its route under the function's <c>HttpApi</c> events in template.yaml (<c>Auth: Authorizer: AWS_IAM</c> for an Admin
/// route), as Template/TemplateRoutesTests demands;</item>
/// <item>its path in docs/openapi.yaml, with every status it can answer, as Docs/OpenApiTests demands, and its row in
/// docs/api.md's route table (Docs/ApiDocTests);</item>
/// <item>an event file in events/ when Template/EventFilesTests asks for one.</item>
/// </list>
/// </summary>
public static class RouteTable
{
    public const string Vend = "vend";
    public const string Decode = "decode";
    public const string Leases = "leases";
    public const string Admin = "admin";
    public const string Revoke = "revoke";

    public static IReadOnlyList<string> Functions { get; } = [Vend, Decode, Leases, Admin, Revoke];

    public static IReadOnlyList<Route> All { get; } =
    [
        Route.Of(Vend, "POST", "/v1/tenants/{tenantId}/credentials", Bearer(), VendCredentialsRoute.Read, VendCredentialsRoute.HandleAsync),
        Route.Of(Vend, "GET", "/v1/tenants/{tenantId}/credentials", Bearer(), VendCredentialsRoute.Read, VendCredentialsRoute.HandleAsync),
        Route.Of(Decode, "POST", "/v1/tenants/{tenantId}/decode", Bearer("decode"), DecodeMessageRoute.Read, DecodeMessageRoute.HandleAsync),
        Route.Of(Leases, "GET", "/v1/tenants/{tenantId}/leases", Bearer("leases"), ListLeasesRoute.Read, ListLeasesRoute.HandleAsync),
        new(Leases, "GET", "/v1/tenants/{tenantId}/leases/{leaseId}", Bearer("leases"), GetLeaseRoute.HandleAsync),
        Route.Of(Admin, "PUT", "/admin/tenants/{tenantId}", RouteAccess.Admin, PutTenantRoute.Read, PutTenantRoute.HandleAsync),
        new(Admin, "GET", "/admin/tenants/{tenantId}", RouteAccess.Admin, GetTenantRoute.HandleAsync),
        Route.Of(Admin, "GET", "/admin/tenants", RouteAccess.Admin, ListTenantsRoute.Read, ListTenantsRoute.HandleAsync),
        Route.Of(Admin, "POST", "/admin/tenants/{tenantId}/preview", RouteAccess.Admin, PreviewTenantRoute.Read, PreviewTenantRoute.HandleAsync),
        Route.Of(Admin, "GET", "/admin/leases", RouteAccess.Admin, FindLeaseByAccessKeyRoute.Read, FindLeaseByAccessKeyRoute.HandleAsync),
        Route.Of(Revoke, "POST", "/v1/tenants/{tenantId}/leases/{leaseId}/revoke", Bearer("revoke"), RevocationBody.ReadReason, RevokeRoutes.RevokeLeaseAsync),
        Route.Of(Revoke, "POST", "/v1/tenants/{tenantId}/revocations", Bearer("revoke"), RevocationBody.ReadSubject, RevokeRoutes.RevokeSubjectAsync),
        Route.Of(Revoke, "POST", "/admin/tenants/{tenantId}/revocations", RouteAccess.Admin, RevocationBody.ReadAdmin, RevokeRoutes.AdminRevokeAsync),
        Route.Of(Revoke, "GET", "/admin/tenants/{tenantId}/revocations", RouteAccess.Admin, RevokeRoutes.ReadPage, RevokeRoutes.ListAsync),
        new(Vend, "GET", "/.well-known/openid-configuration", Public, WellKnownRoutes.DiscoveryAsync),
        new(Vend, "GET", "/.well-known/jwks.json", Public, WellKnownRoutes.JwksAsync),
    ];

    public static IReadOnlyList<Route> For(string function) => All.Where(r => r.Function == function).ToArray();
}
