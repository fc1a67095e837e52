namespace CredentialVending.Local.Oidc;

/// <summary>What <see cref="DevelopmentIssuer.IssueToken"/> puts in a development token.</summary>
public sealed record TokenRequest
{
    /// <summary>The <c>sub</c> claim.</summary>
    public required string Subject { get; init; }

    /// <summary>The <c>aud</c> claim: a string when there is one, an array when there are several, absent when empty.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = ["credvend-local"];

    /// <summary>Extra claims (strings, string arrays, numbers, booleans). They win over the standard ones, so hostile-token tests can set any of them.</summary>
    public IReadOnlyDictionary<string, object>? Claims { get; init; }

    /// <summary>RS256, RS384, RS512, PS256, ES256 or ES384.</summary>
    public string Algorithm { get; init; } = "RS256";

    /// <summary><c>exp</c> is <c>iat</c> plus this; a lifetime that ends in the past makes an expired token.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>nbf</c>; defaults to <c>iat</c>.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary><c>iat</c>; defaults to now.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>Overrides <c>iss</c> (wrong-issuer tests); defaults to the issuer's own URL.</summary>
    public string? Issuer { get; init; }
}
