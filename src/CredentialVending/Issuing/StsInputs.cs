using CredentialVending.Identity.Saml;
using System.Text.RegularExpressions;
using CredentialVending.Common;
using CredentialVending.Tenants;

namespace CredentialVending.Issuing;

/// <summary>
/// STS's own constraints on each parameter the functions send (from the STS API model), checked before the call so
/// that no value, whoever chose it, reaches STS as a <c>ValidationError</c>. Every pattern ends in <c>\z</c>: .NET's
/// <c>$</c> also matches before a final newline, and STS would refuse <c>"alice\n"</c>.
/// </summary>
public static partial class StsInputs
{
    public const int MinDurationSeconds = 900;
    public const int MaxDurationSeconds = 43200;
    public const int MaxPolicyLength = Scoping.PolicyWriter.MaxPolicyLength;
    public const int MaxTags = 50;
    public const int MaxTagKeyLength = 128;
    public const int MaxTagValueLength = 256;
    public const int MinWebIdentityTokenLength = 4;
    public const int MaxWebIdentityTokenLength = 20000;

    /// <summary><c>SourceIdentity</c> (and <c>RoleSessionName</c>): 2 to 64 of <c>[\w+=,.@-]</c>, \w in Java's ASCII sense.</summary>
    public static bool FitsSessionName(string? value) => value is not null && SessionName().IsMatch(value);

    /// <summary>A session tag key: 1 to 128 of <c>[\p{L}\p{Z}\p{N}_.:/=+\-@]</c>.</summary>
    public static bool FitsTagKey(string? value) => value is { Length: >= 1 and <= MaxTagKeyLength } && TagText().IsMatch(value);

    /// <summary>A session tag value: 0 to 256 of the key's characters (no comma, unlike a session name).</summary>
    public static bool FitsTagValue(string? value) => value is { Length: <= MaxTagValueLength } && TagText().IsMatch(value);

    /// <summary><c>ExternalId</c>: 2 to 1224 of <c>[\w+=,.@:/-]</c>.</summary>
    public static bool FitsExternalId(string? value) => value is not null && ExternalId().IsMatch(value);

    /// <summary>
    /// What STS would refuse in <paramref name="request"/>, or null. A tag value (rendered from the caller's claims) that
    /// does not fit is the caller's <c>unusable_claim</c>, naming the tag; anything else comes from the tenant's stored
    /// setup or from this service, so it is the tenant's <c>issuance_failed</c>, answered before any credentials exist.
    /// </summary>
    public static Refusal? Check(IssueRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (key, value) in request.Tags)
        {
            if (!FitsTagKey(key))
            {
                return Setup("a session tag key is not 1 to 128 letters, digits, spaces and _ . : / = + - @");
            }

            if (!FitsTagValue(value))
            {
                return UnusableTag(key);
            }
        }

        var problem = request switch
        {
            { Tags.Count: > MaxTags } => $"more than {MaxTags} session tags",
            _ when request.Tags.GroupBy(t => t.Key, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1) => "two session tag keys that differ only in case, which STS counts as one",
            _ when !FitsSessionName(request.SessionName) => "a session name that is not 2 to 64 of A-Z a-z 0-9 _ + = , . @ -",
            { DurationSeconds: < MinDurationSeconds or > MaxDurationSeconds } => $"a duration outside STS's {MinDurationSeconds} to {MaxDurationSeconds} seconds",
            { PolicyJson.Length: > MaxPolicyLength } => $"a session policy over STS's {MaxPolicyLength} characters",
            { ExternalId: { } id } when !FitsExternalId(id) => "an external id that is not 2 to 1224 of A-Z a-z 0-9 _ + = , . @ : / -",
            { SourceIdentity: { } identity } when !FitsSessionName(identity) => "a source identity that does not fit STS's pattern",
            { Mode: IssuanceMode.WebIdentity or IssuanceMode.Brokered, WebIdentityToken: var token } when token is not { Length: >= MinWebIdentityTokenLength and <= MaxWebIdentityTokenLength } => "a web identity token outside STS's 4 to 20000 characters",
            { Mode: IssuanceMode.Saml, SamlAssertion: var assertion } when assertion is not { Length: >= SamlResponseReader.MinLength and <= SamlResponseReader.MaxLength } => "a SAML assertion outside STS's 4 to 100000 characters",
            { Mode: IssuanceMode.Saml, PrincipalArn: var provider, SamlExpected: var expected } when provider is null || expected is null => "a SAML request without its provider or what was read of its assertion",
            _ => null,
        };
        return problem is null ? null : Setup(problem);
    }

    /// <summary>The caller's claims made a tag value STS would refuse: named by its key (the tenant's), never its value (the caller's).</summary>
    public static Refusal UnusableTag(string key) => new(
        Codes.UnusableClaim,
        $"the session tag {(FitsTagKey(key) ? key : "(a tag)")} cannot be rendered: STS takes at most {MaxTagValueLength} letters, digits, spaces and _ . : / = + - @ in a tag value");

    private static Refusal Setup(string problem) => new(
        Codes.IssuanceFailed,
        $"The request to STS would hold {problem}, which STS refuses: check the tenant's issuance and sessionTags.");

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]{2,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SessionName();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*\z", RegexOptions.CultureInvariant)]
    internal static partial Regex TagText();

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@:/-]{2,1224}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ExternalId();
}
