using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;
using CredentialVending.Tenants;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// PUT /admin/tenants/{tenantId}: creates (201) or updates (200) a tenant document; idempotent, with
/// <c>If-Match</c> against the ETag (412 when it does not match). The document must pass the reader's rules and the
/// lint, then <see cref="TenantTrust"/>'s: a role of its own, and a tenant claim wherever an issuer is shared.
/// </summary>
public static class PutTenantRoute
{
    public static Outcome<byte[]> Read(RouteContext context) => JsonBody.ReadBytes(context);

    public static async Task<RouteResult> HandleAsync(RouteContext context, byte[] body, CancellationToken cancellationToken)
    {
        var tenantId = context.Path("tenantId");
        var put = await context.Services.Administration.PutAsync(tenantId, body, context.Request.GetHeader("if-match"), cancellationToken).ConfigureAwait(false);
        if (put.IsRefused)
        {
            return put.Refusal!;
        }

        var (result, stored) = put.Value;
        context.Logger.Log(LogLevel.Info, "Tenant stored.", [
            new("tenantId", tenantId), new("result", result.ToString()), new("version", stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("principal", context.IamPrincipal)]);
        return TenantAnswer.From(stored, result == PutResult.Created ? 201 : 200);
    }
}
