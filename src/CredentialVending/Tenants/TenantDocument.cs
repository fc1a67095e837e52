using System.Text.Json;

namespace CredentialVending.Tenants;

/// <summary>A tenant, as docs/api.md's "The tenant document" describes it, once read and validated.</summary>
public sealed record TenantDocument
{
    public required string TenantId { get; init; }
    public string? DisplayName { get; init; }
    public required TenantStatus Status { get; init; }
    public required IdentitySettings Identity { get; init; }
    public required IssuanceSettings Issuance { get; init; }

    /// <summary>Scopes by name, in the order the document gives them.</summary>
    public required IReadOnlyList<Scope> Scopes { get; init; }

    /// <summary>Null when absent: a request must then name its scopes.</summary>
    public IReadOnlyList<string>? DefaultScopes { get; init; }

    /// <summary>Session tag templates by key, in document order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SessionTags { get; init; } = [];

    public Permissions Permissions { get; init; } = new();
    public TenantLimits? Limits { get; init; }

    /// <summary>Not part of the document: the revoked subjects stored beside it, read with it (docs/api.md, "Revocation").</summary>
    public Revocation.TokenRevocations Revoked { get; init; } = Revocation.TokenRevocations.None;

    public Scope? FindScope(string name) => Scopes.FirstOrDefault(s => s.Name == name);
}

public enum TenantStatus
{
    Active,
    Suspended,
}

public enum IssuanceMode
{
    AssumeRole,
    WebIdentity,
    Saml,

    /// <summary>The service mints its own web identity token for the caller (docs/api.md, "Brokered tenants").</summary>
    Brokered,
}

public static class IssuanceModes
{
    /// <summary>The mode as the tenant document, the lease and the preview spell it.</summary>
    public static string Name(IssuanceMode mode) => mode switch
    {
        IssuanceMode.AssumeRole => "assumeRole",
        IssuanceMode.WebIdentity => "webIdentity",
        IssuanceMode.Saml => "saml",
        IssuanceMode.Brokered => "brokered",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "No issuance mode has this value."),
    };
}

public sealed record IdentitySettings
{
    /// <summary>The bearer issuer; null only for a saml tenant without one (its Bearer operator routes then answer 401).</summary>
    public required string? Issuer { get; init; }
    public required IReadOnlyList<string> Audiences { get; init; }
    public string SubjectClaim { get; init; } = "sub";
    public string? TenantClaim { get; init; }

    /// <summary>Present exactly in saml mode: where the caller's SAML response comes from and how it maps to claims.</summary>
    public SamlSettings? Saml { get; init; }
}

/// <summary>
/// A saml tenant's identity provider (docs/api.md "SAML tenants"): the assertion's expected Issuer, the IAM SAML provider,
/// where the subject comes from, and which SAML attributes become which claims.
/// </summary>
public sealed record SamlSettings
{
    public const string NameId = "nameId";

    public required string EntityId { get; init; }
    public required string ProviderArn { get; init; }

    /// <summary><see cref="NameId"/>, or the name of the attribute that holds the subject.</summary>
    public string Subject { get; init; } = NameId;

    /// <summary>SAML attribute name to claim name, in document order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];
}

public sealed record IssuanceSettings
{
    public const int DefaultDuration = 900;
    public const int DefaultMaxDuration = 3600;

    public required IssuanceMode Mode { get; init; }
    public required string RoleArn { get; init; }
    public string? ExternalId { get; init; }
    public int DefaultDurationSeconds { get; init; } = DefaultDuration;
    public int MaxDurationSeconds { get; init; } = DefaultMaxDuration;
}

/// <summary>A named set of IAM statements; the statements keep their JSON as written, template variables included.</summary>
public sealed record Scope
{
    public required string Name { get; init; }
    public required IReadOnlyList<JsonElement> Statements { get; init; }
    public ClaimRule? GrantedTo { get; init; }

    /// <summary>The scope reaches resources shared between tenants, on purpose (the isolation lint lets it pass).</summary>
    public bool Shared { get; init; }
}

/// <summary>A caller holds the rule when the claim (a string, a space separated string or an array) contains one of <see cref="AnyOf"/>.</summary>
public sealed record ClaimRule(string Claim, IReadOnlyList<string> AnyOf);

public sealed record Permissions
{
    public ClaimRule? Decode { get; init; }
    public ClaimRule? Leases { get; init; }
    public ClaimRule? Revoke { get; init; }

    /// <summary>The rule of the permission a route names (docs/api.md "Routes"); a name no permission has is a bug in the route table.</summary>
    public ClaimRule? Rule(string permission) => permission switch
    {
        "decode" => Decode,
        "leases" => Leases,
        "revoke" => Revoke,
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "No tenant permission has this name."),
    };
}

public sealed record TenantLimits(int? RequestsPerMinute);
