namespace CredentialVending.Local.Sts;

/// <summary>Settings of an <see cref="StsEmulator"/>, the development and test stand-in for one regional STS endpoint.</summary>
public sealed record StsEmulatorOptions
{
    /// <summary>The region this endpoint serves; SigV4 scopes must name it.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account of the caller and, unless a role ARN says otherwise, of the roles.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>SigV4 credentials the emulator accepts on signed calls (the vend function's own role): access key id to secret.</summary>
    /// <remarks>A session token sent with these keys is accepted and ignored, as the function's role credentials carry one.</remarks>
    public IReadOnlyDictionary<string, string> CallerCredentials { get; init; } = new Dictionary<string, string>();

    /// <summary>What <c>GetCallerIdentity</c> and access-denied messages call the holder of <see cref="CallerCredentials"/>;
    /// by default <c>arn:aws:iam::{AccountId}:user/credential-vending-local</c>.</summary>
    public string? CallerArn { get; init; }

    /// <summary>Roles whose trust policy demands an external id: role ARN to external id (AccessDenied when absent or different).</summary>
    public IReadOnlyDictionary<string, string> RequiredExternalIds { get; init; } = new Dictionary<string, string>();

    /// <summary>For <c>AssumeRoleWithWebIdentity</c>: the OIDC providers the account knows and the audience each expects.</summary>
    public IReadOnlyList<WebIdentityTrust> WebIdentityTrusts { get; init; } = [];

    /// <summary>Whether issuers may be <c>http://</c> on a loopback host (tests run issuers on <c>http://127.0.0.1:PORT</c>).</summary>
    public bool AllowInsecureHttpIssuers { get; init; } = true;

    /// <summary>Every role's <c>MaxSessionDuration</c>: IAM's ceiling of 43,200 s, so only STS's own limits apply.</summary>
    public int RoleMaxSessionDurationSeconds { get; init; } = 43200;

    /// <summary>The loopback port to bind; 0 picks a free one.</summary>
    public int Port { get; init; }
}

/// <summary>An OIDC provider registered in the account, with the audience (client id) it accepts.</summary>
/// <param name="Issuer">The provider URL, equal to the tokens' <c>iss</c>.</param>
/// <param name="Audience">The <c>aud</c> the provider's client list and the role's trust policy expect.</param>
public sealed record WebIdentityTrust(string Issuer, string Audience)
{
    /// <summary>The only role this trust opens; null opens every role. A token from a known provider and audience
    /// for a role no trust opens is refused with AccessDenied, as a trust policy without that provider would.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The trust policy's <c>&lt;provider&gt;:sub</c> condition as <c>StringLike</c> (<c>*</c> any run, <c>?</c> one
    /// character; case-sensitive), e.g. <c>acme:*</c> for a brokered tenant's role; null admits every subject. A token
    /// whose <c>sub</c> fails it is refused with AccessDenied, as STS refuses it.</summary>
    public string? SubjectLike { get; init; }

    /// <summary>Whether <paramref name="subject"/> meets <see cref="SubjectLike"/>.</summary>
    public bool Admits(string subject) => SubjectLike is null || System.Text.RegularExpressions.Regex.IsMatch(subject,
        "^" + System.Text.RegularExpressions.Regex.Escape(SubjectLike).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + @"\z",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Singleline);
}
