namespace CredentialVending.Functions.Http;

/// <summary>
/// Who may call a route, declared on it in <see cref="RouteTable"/> and enforced by the host before the handler runs
/// (docs/api.md "Routes", its auth column).
/// </summary>
public abstract record RouteAccess
{
    private protected RouteAccess()
    {
    }

    /// <summary>Anyone: no check.</summary>
    public static RouteAccess Public { get; } = new PublicAccess();

    /// <summary>API Gateway's AWS_IAM authorizer has checked the signature; the signer must be one of ADMIN_PRINCIPAL_ARNS.</summary>
    public static RouteAccess Admin { get; } = new AdminAccess();

    /// <summary>
    /// A Bearer JWT of the path's tenant's issuer, holding the tenant's <paramref name="permission"/> (one of
    /// <see cref="Tenants.Permissions"/>'s names); none for vend, whose caller needs only to be the tenant's.
    /// </summary>
    public static RouteAccess Bearer(string? permission = null) => new BearerAccess(permission);
}

public sealed record PublicAccess : RouteAccess;

public sealed record AdminAccess : RouteAccess;

/// <summary>A Bearer route; <see cref="Permission"/> null is vend's, which reuses tenant documents (TENANT_CACHE_SECONDS).</summary>
public sealed record BearerAccess(string? Permission) : RouteAccess;
