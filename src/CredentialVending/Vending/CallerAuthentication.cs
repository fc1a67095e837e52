using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Identity.Saml;
using CredentialVending.Limits;
using CredentialVending.Tenants;

namespace CredentialVending.Vending;

/// <summary>A tenant's document and the caller its issuer vouched for.</summary>
public sealed record TenantCaller(TenantDocument Tenant, Caller Caller)
{
    /// <summary>Vend's rate count, when it went out alongside the tenant read (see <see cref="RateCount"/>).</summary>
    internal RateCount? Count { get; init; }
}

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
    private readonly RateLimiter? _limiter;
    private readonly TimeProvider _time;

    /// <param name="limiter">Vend's: the rate count then goes out with a due tenant read, one round trip before STS.</param>
    public CallerAuthentication(TenantDirectory tenants, TokenAuthenticator authenticator, RateLimiter? limiter = null, TimeProvider? time = null)
    {
        _tenants = tenants;
        _authenticator = authenticator;
        _limiter = limiter;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The caller of <paramref name="tenantId"/>'s route, holding <paramref name="permission"/> (a name of
    /// <see cref="Permissions.Rule"/>) unless it is null; or the refusal to answer.
    /// </summary>
    public Task<Outcome<TenantCaller>> AuthenticateAsync(string tenantId, string? authorizationHeader, string? permission, CancellationToken cancellationToken) =>
        AuthenticateAsync(tenantId, authorizationHeader, samlResponse: null, permission, cancellationToken);

    /// <summary>
    /// As above, or, with <paramref name="samlResponse"/> (vend's body, docs/api.md "SAML tenants"), a saml tenant's
    /// caller read from their SAML response instead of a header. A saml tenant's credentials take nothing else, and a
    /// SAML response is never an operator's credential: the function cannot verify its signature, only STS can.
    /// </summary>
    public async Task<Outcome<TenantCaller>> AuthenticateAsync(string tenantId, string? authorizationHeader, string? samlResponse, string? permission, CancellationToken cancellationToken)
    {
        Outcome<BearerToken> token = samlResponse is null ? BearerToken.Read(authorizationHeader) : default;
        if (token.IsRefused)
        {
            return token.Refusal!;
        }

        if (samlResponse is not null && authorizationHeader is not null)
        {
            return Refusal.InvalidRequest("A SAML response is sent without an Authorization header.");
        }

        var (tenant, count) = _limiter is null
            ? (await _tenants.LoadAsync(tenantId, cancellationToken).ConfigureAwait(false), null)
            : await RateCount.LoadAsync(_tenants, _limiter, _time, tenantId, cancellationToken).ConfigureAwait(false);
        if (tenant.IsRefused)
        {
            return tenant.Refusal!;
        }

        var document = tenant.Value!;
        var samlVend = document.Issuance.Mode == IssuanceMode.Saml && permission is null;
        Outcome<Caller> caller = (samlVend, samlResponse) switch
        {
            (true, { } response) => SamlResponseReader.Read(response, document, _time.GetUtcNow()),
            (true, null) => new Refusal(Codes.InvalidToken,
                $"Tenant {document.TenantId} is a saml tenant: POST its credentials route a SAML response (samlResponse, or the form's SAMLResponse) without an Authorization header; GET is not offered."),
            (false, { }) => new Refusal(Codes.InvalidToken, $"Tenant {document.TenantId} does not take SAML responses: send its issuer's token as Authorization: Bearer."),
            _ => await _authenticator.AuthenticateAsync(token.Value!, document, cancellationToken).ConfigureAwait(false),
        };
        if (caller.IsRefused)
        {
            return caller.Refusal!;
        }

        return permission is null || caller.Value!.Claims.Holds(document.Permissions.Rule(permission))
            ? new TenantCaller(document, caller.Value!) { Count = count }
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
