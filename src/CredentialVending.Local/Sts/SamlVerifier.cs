using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using CredentialVending.Local.Saml;

namespace CredentialVending.Local.Sts;

/// <summary>What a verified SAML response names, as <c>AssumeRoleWithSAML</c> answers it.</summary>
internal sealed record SamlIdentity(SamlProvider Provider, string Issuer, string Subject, string SubjectType, string Audience, string SessionName, string? SourceIdentity);

/// <summary>
/// Verifies a SAML response as STS does for an IAM SAML provider. The signature must cover the one assertion that is
/// read (a Reference to the assertion's or the response's own ID, IDs unique), so a response that carries a signed
/// assertion beside, or wrapped around, a forged one is refused rather than read by the forged one.
/// </summary>
internal sealed partial class SamlVerifier(StsEmulatorOptions options)
{
    private const string SignatureInvalid = "Response signature invalid";
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, SamlProvider> _providers = SamlProviders.Read(options.SamlProviders);

    public (SamlIdentity? Identity, StsError? Error) Verify(string encoded, string roleArn, string principalArn, DateTimeOffset now)
    {
        if (!_providers.TryGetValue(principalArn, out var provider))
        {
            return Refused("Specified provider doesn't exist");
        }

        XmlDocument document;
        try
        {
            document = DevelopmentSamlProvider.Load(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        }
        catch (Exception e) when (e is FormatException or XmlException)
        {
            // A DTD lands here too: STS resolves no entity of a response.
            return Refused("Unable to parse the SAML response.");
        }

        var root = document.DocumentElement!;
        if (root.LocalName != "Response" || root.NamespaceURI != SamlNames.Protocol)
        {
            return Refused("The SAML response is not a samlp:Response.");
        }

        if (document.GetElementsByTagName("EncryptedAssertion", SamlNames.Assertion).Count > 0)
        {
            return Refused("The emulator reads no EncryptedAssertion: configure the identity provider to sign, not encrypt.");
        }

        var assertions = document.GetElementsByTagName("Assertion", SamlNames.Assertion).Cast<XmlElement>().ToList();
        if (assertions.Count != 1)
        {
            return Refused("The SAML response must hold exactly one Assertion.");
        }

        var assertion = assertions[0];
        if (!SamlSignature.Covers(document, root, assertion, provider.SigningCertificates))
        {
            return Refused(SignatureInvalid);
        }

        return Claims(assertion, provider, roleArn, now);
    }

    private (SamlIdentity? Identity, StsError? Error) Claims(XmlElement assertion, SamlProvider provider, string roleArn, DateTimeOffset now)
    {
        var issuer = Child(assertion, "Issuer")?.InnerText.Trim();
        if (issuer != provider.EntityId)
        {
            return Refused("Issuer of the SAML assertion does not match the entity id of the SAML provider's metadata.");
        }

        // InnerText joins every text node: a comment inside the NameID does not cut it short.
        var nameId = Child(Child(assertion, "Subject"), "NameID");
        var conditions = Child(assertion, "Conditions");
        var confirmation = Child(Child(Child(assertion, "Subject"), "SubjectConfirmation"), "SubjectConfirmationData");
        if (nameId is null || nameId.InnerText.Length == 0 || conditions is null)
        {
            return Refused("The SAML assertion has no Subject NameID or no Conditions.");
        }

        if (Instant(conditions, "NotBefore") is { } notBefore && now + Skew < notBefore)
        {
            return Refused("The SAML assertion is not yet valid (NotBefore).");
        }

        var expiry = new[] { Instant(conditions, "NotOnOrAfter"), confirmation is null ? null : Instant(confirmation, "NotOnOrAfter") }.Where(t => t is not null).Min();
        if (expiry is { } notOnOrAfter && now - Skew >= notOnOrAfter)
        {
            return (null, StsError.ExpiredTokenException(string.Create(CultureInfo.InvariantCulture,
                $"Token expired: current date/time {now.ToUnixTimeSeconds()} must be before the expiration date/time {notOnOrAfter.ToUnixTimeSeconds()}")));
        }

        var audiences = conditions.GetElementsByTagName("Audience", SamlNames.Assertion).Cast<XmlElement>().Select(a => a.InnerText.Trim()).ToList();
        if (!audiences.Any(IsAwsAudience))
        {
            return Refused("The SAML assertion's AudienceRestriction does not name AWS sign-in (https://signin.aws.amazon.com/saml).");
        }

        var attributes = Attributes(assertion);
        var roles = attributes.GetValueOrDefault(SamlNames.RoleAttribute, []);
        if (!roles.Any(r => NamesPair(r, roleArn, provider.Arn)))
        {
            return (null, new StsError(400, "Sender", "IDPRejectedClaim", "The Role attribute of the SAML assertion does not name the requested role and provider."));
        }

        var sessionName = attributes.GetValueOrDefault(SamlNames.RoleSessionNameAttribute, []).FirstOrDefault();
        if (sessionName is null || !SessionNamePattern().IsMatch(sessionName))
        {
            return Refused("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
        }

        if (attributes.GetValueOrDefault(SamlNames.SessionDurationAttribute, []).FirstOrDefault() is { } duration
            && !(int.TryParse(duration, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 900 and <= 43200))
        {
            return Refused("SessionDuration in AuthnResponse must be a number of seconds from 900 to 43200.");
        }

        var sourceIdentity = attributes.GetValueOrDefault(SamlNames.SourceIdentityAttribute, []).FirstOrDefault();
        if (sourceIdentity is not null && !SessionNamePattern().IsMatch(sourceIdentity))
        {
            return Refused("SourceIdentity in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
        }

        // STS answers the Recipient as Audience, and the trust policy's SAML:aud is that Recipient.
        var recipient = confirmation?.GetAttribute("Recipient") is { Length: > 0 } r ? r : audiences.First(IsAwsAudience);
        if (!options.SamlTrusts.Any(t => t.ProviderArn == provider.Arn && t.Audience == recipient && (t.RoleArn is null || t.RoleArn == roleArn)))
        {
            return (null, StsError.AccessDenied("Not authorized to perform sts:AssumeRoleWithSAML"));
        }

        var format = nameId.GetAttribute("Format");
        var subjectType = format switch
        {
            SamlNames.PersistentFormat => "persistent",
            SamlNames.TransientFormat => "transient",
            "" => SamlNames.UnspecifiedFormat,
            _ => format,
        };
        return (new SamlIdentity(provider, issuer, nameId.InnerText, subjectType, recipient, sessionName, sourceIdentity), null);
    }

    /// <summary>STS's <c>NameQualifier</c>: Base64(SHA1(Issuer + AccountId + "/" + provider name)).</summary>
    public static string NameQualifier(SamlIdentity identity)
    {
        var name = identity.Provider.Arn[(identity.Provider.Arn.LastIndexOf('/') + 1)..];
        return Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(identity.Issuer + AwsIds.AccountOf(identity.Provider.Arn) + "/" + name)));
    }

    private static (SamlIdentity?, StsError?) Refused(string message) => (null, StsError.InvalidIdentityToken(message));

    private static XmlElement? Child(XmlElement? parent, string name) =>
        parent?.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == name && e.NamespaceURI == SamlNames.Assertion);

    private static DateTimeOffset? Instant(XmlElement element, string attribute) =>
        DateTimeOffset.TryParse(element.GetAttribute(attribute), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    private static Dictionary<string, List<string>> Attributes(XmlElement assertion) =>
        assertion.GetElementsByTagName("Attribute", SamlNames.Assertion).Cast<XmlElement>()
            .GroupBy(a => a.GetAttribute("Name"), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(a => a.GetElementsByTagName("AttributeValue", SamlNames.Assertion).Cast<XmlElement>()).Select(v => v.InnerText.Trim()).ToList(), StringComparer.Ordinal);

    // AWS takes the pair in either order.
    private static bool NamesPair(string value, string roleArn, string providerArn)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length == 2 && ((parts[0] == roleArn && parts[1] == providerArn) || (parts[0] == providerArn && parts[1] == roleArn));
    }

    private static bool IsAwsAudience(string audience) => audience == SamlNames.AwsAudience || audience == "urn:amazon:webservices" || RegionalAudience().IsMatch(audience);

    [GeneratedRegex(@"^https://[a-z]{2}(-[a-z]+)+-[0-9]+\.signin\.aws\.amazon\.com/saml\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionalAudience();

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]{2,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SessionNamePattern();
}
