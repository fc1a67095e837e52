using CredentialVending.Functions.Http;
using CredentialVending.Functions.Routes;

namespace CredentialVending.Functions;

/// <summary>
/// Every route of docs/api.md and the function (<c>_HANDLER</c>) that serves it: the table of contents of the service.
/// Add a route: one file in Routes/ and one line here (and its entry in template.yaml).
/// </summary>
public static class RouteTable
{
    public const string Vend = "vend";
    public const string Decode = "decode";
    public const string Leases = "leases";
    public const string Admin = "admin";

    public static IReadOnlyList<string> Functions { get; } = [Vend, Decode, Leases, Admin];

    public static IReadOnlyList<Route> All { get; } =
    [
        new(Vend, "POST", "/v1/tenants/{tenantId}/credentials", VendCredentialsRoute.HandleAsync),
        new(Vend, "GET", "/v1/tenants/{tenantId}/credentials", VendCredentialsRoute.HandleAsync),
        new(Decode, "POST", "/v1/tenants/{tenantId}/decode", DecodeMessageRoute.HandleAsync),
        new(Leases, "GET", "/v1/tenants/{tenantId}/leases", ListLeasesRoute.HandleAsync),
        new(Leases, "GET", "/v1/tenants/{tenantId}/leases/{leaseId}", GetLeaseRoute.HandleAsync),
        new(Admin, "PUT", "/admin/tenants/{tenantId}", PutTenantRoute.HandleAsync),
        new(Admin, "GET", "/admin/tenants/{tenantId}", GetTenantRoute.HandleAsync),
        new(Admin, "GET", "/admin/tenants", ListTenantsRoute.HandleAsync),
        new(Admin, "POST", "/admin/tenants/{tenantId}/preview", PreviewTenantRoute.HandleAsync),
        new(Admin, "GET", "/admin/leases", FindLeaseByAccessKeyRoute.HandleAsync),
    ];

    public static IReadOnlyList<Route> For(string function) => All.Where(r => r.Function == function).ToArray();
}
