using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>A tenant's document and the caller its issuer vouched for.</summary>
public sealed record TenantCaller(TenantDocument Tenant, Caller Caller);

/// <summary>
/// Who is calling a tenant's route, in docs/api.md's order: a token of the right form (read once, by
/// <see cref="BearerToken.Read"/>, before any tenant is, so whatever is wrong with its form is a 401 for everyone),
/// the tenant, the token against the tenant's issuer, then the permission the route needs. A suspended tenant is
/// still let in: vend refuses it (<see cref="Issuable"/>), its operators may well be looking into why.
/// </summary>
public sealed class CallerAuthentication
{
    private readonly TenantDirectory _tenants;
    private readonly TokenAuthenticator _authenticator;

    public CallerAuthentication(TenantDirectory tenants, TokenAuthenticator authenticator)
    {
        _tenants = tenants;
        _authenticator = authenticator;
    }

    /// <summary>
    /// The caller of <paramref name="tenantId"/>'s route, holding <paramref name="permission"/> (a name of
    /// <see cref="Permissions.Rule"/>) unless it is null; or the refusal to answer.
    /// </summary>
    public async Task<Outcome<TenantCaller>> AuthenticateAsync(string tenantId, string? authorizationHeader, string? permission, CancellationToken cancellationToken)
    {
        var token = BearerToken.Read(authorizationHeader);
        if (token.IsRefused)
        {
            return token.Refusal!;
        }

        var tenant = await _tenants.LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (tenant.IsRefused)
        {
            return tenant.Refusal!;
        }

        var document = tenant.Value!;
        var caller = await _authenticator.AuthenticateAsync(token.Value!, document, cancellationToken).ConfigureAwait(false);
        if (caller.IsRefused)
        {
            return caller.Refusal!;
        }

        return permission is null || caller.Value!.Claims.Holds(document.Permissions.Rule(permission))
            ? new TenantCaller(document, caller.Value!)
            : new Refusal(Codes.Forbidden, $"The caller does not hold tenant {document.TenantId}'s '{permission}' permission.");
    }

    /// <summary>
    /// What vend, and preview for the claims it is given, check after the caller: a tags claim that would re-tenant a
    /// webIdentity session (STS tags it from the token itself, docs/api.md "Rules"), then the tenant's status.
    /// </summary>
    public static Refusal? Issuable(TenantDocument tenant, ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (tenant.Issuance.Mode == IssuanceMode.WebIdentity && PrincipalTagsClaim.Check(claims, tenant.TenantId) is { } retenanted)
        {
            return retenanted;
        }

        return tenant.Status == TenantStatus.Suspended
            ? new Refusal(Codes.TenantSuspended, $"Tenant '{tenant.TenantId}' is suspended; no credentials are issued for it.")
            : null;
    }
}
