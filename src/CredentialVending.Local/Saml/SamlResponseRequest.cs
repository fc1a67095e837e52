namespace CredentialVending.Local.Saml;

/// <summary>
/// What a development SAML response says. The defaults make the response that AWS sign-in and STS accept; each
/// property is there so a test can make exactly one thing wrong (an expired window, the wrong audience, another
/// tenant's attribute) and still hold a correctly signed response.
/// </summary>
public sealed record SamlResponseRequest
{
    /// <summary>The <c>NameID</c>, and by default the <c>RoleSessionName</c> attribute.</summary>
    public required string Subject { get; init; }

    /// <summary>The role the <c>Role</c> attribute names, with <see cref="ProviderArn"/>.</summary>
    public required string RoleArn { get; init; }

    /// <summary>The IAM SAML provider the <c>Role</c> attribute names; by default the development provider's ARN in the role's account.</summary>
    public string? ProviderArn { get; init; }

    /// <summary>The <c>tenant</c> attribute; none when null.</summary>
    public string? Tenant { get; init; }

    /// <summary>The <c>groups</c> attribute, one value each.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>More attributes, each with its values, written after the others.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The <c>NameID</c>'s <c>Format</c>.</summary>
    public string NameIdFormat { get; init; } = SamlNames.PersistentFormat;

    /// <summary>The <c>RoleSessionName</c> attribute; <see cref="Subject"/> when null, none when empty.</summary>
    public string? RoleSessionName { get; init; }

    /// <summary>The <c>SessionDuration</c> attribute (seconds); none when null.</summary>
    public int? SessionDurationSeconds { get; init; }

    /// <summary>The <c>SourceIdentity</c> attribute; none when null.</summary>
    public string? SourceIdentity { get; init; }

    /// <summary>The <c>Issuer</c> of the response and the assertion; the provider's entity id when null.</summary>
    public string? Issuer { get; init; }

    /// <summary>The <c>AudienceRestriction</c>'s audience and the <c>SubjectConfirmationData</c>'s <c>Recipient</c>.</summary>
    public string Audience { get; init; } = SamlNames.AwsAudience;

    /// <summary>When the response was made; the provider's clock when null. <c>NotBefore</c> is this instant.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>From <see cref="IssuedAt"/> to <c>NotOnOrAfter</c>.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);
}
