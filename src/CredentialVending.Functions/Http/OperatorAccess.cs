using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tenants;

namespace CredentialVending.Functions.Http;

/// <summary>
/// The tenant operator routes (decode, leases), in vend's order: a token of the right form, the tenant, then the
/// caller's Bearer JWT against its issuer, then the permission the route needs. A suspended tenant is still served: its operators may well be
/// looking into why it was suspended.
/// </summary>
public static class OperatorAccess
{
    public static async Task<Outcome<(TenantDocument Tenant, Caller Caller)>> CheckAsync(
        RouteContext context, string permission, Func<Permissions, ClaimRule?> rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(rule);
        var token = BearerToken.Read(context.Request.GetHeader("authorization"));
        if (token.IsRefused)
        {
            return token.Refusal!;
        }

        var tenant = await context.Services.Tenants.LoadAsync(context.Path("tenantId"), cancellationToken).ConfigureAwait(false);
        if (tenant.IsRefused)
        {
            return tenant.Refusal!;
        }

        var document = tenant.Value!;
        var caller = await context.Services.Authenticator.AuthenticateAsync(token.Value!, document, cancellationToken).ConfigureAwait(false);
        if (caller.IsRefused)
        {
            return caller.Refusal!;
        }

        return caller.Value!.Claims.Holds(rule(document.Permissions))
            ? (document, caller.Value!)
            : new Refusal(Codes.Forbidden, $"The caller does not hold tenant {document.TenantId}'s '{permission}' permission.");
    }
}
