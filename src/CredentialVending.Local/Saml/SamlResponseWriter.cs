using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace CredentialVending.Local.Saml;

/// <summary>Writes the unsigned SAML 2.0 <c>Response</c> of a <see cref="SamlResponseRequest"/>, in the shape ADFS and Okta send to AWS.</summary>
internal static class SamlResponseWriter
{
    private static readonly XNamespace P = SamlNames.Protocol;
    private static readonly XNamespace A = SamlNames.Assertion;

    public static XElement Write(SamlResponseRequest request, string issuer, string providerArn, DateTimeOffset issuedAt)
    {
        var notOnOrAfter = Instant(issuedAt + request.Lifetime);
        var audience = request.Audience;
        return new XElement(P + "Response",
            new XAttribute(XNamespace.Xmlns + "samlp", SamlNames.Protocol),
            new XAttribute(XNamespace.Xmlns + "saml", SamlNames.Assertion),
            new XAttribute("ID", NewId()),
            new XAttribute("Version", "2.0"),
            new XAttribute("IssueInstant", Instant(issuedAt)),
            new XAttribute("Destination", audience),
            new XElement(A + "Issuer", issuer),
            new XElement(P + "Status", new XElement(P + "StatusCode", new XAttribute("Value", SamlNames.Success))),
            new XElement(A + "Assertion",
                new XAttribute("ID", NewId()),
                new XAttribute("Version", "2.0"),
                new XAttribute("IssueInstant", Instant(issuedAt)),
                new XElement(A + "Issuer", issuer),
                new XElement(A + "Subject",
                    new XElement(A + "NameID", new XAttribute("Format", request.NameIdFormat), request.Subject),
                    new XElement(A + "SubjectConfirmation", new XAttribute("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer"),
                        new XElement(A + "SubjectConfirmationData", new XAttribute("NotOnOrAfter", notOnOrAfter), new XAttribute("Recipient", audience)))),
                new XElement(A + "Conditions", new XAttribute("NotBefore", Instant(issuedAt)), new XAttribute("NotOnOrAfter", notOnOrAfter),
                    new XElement(A + "AudienceRestriction", new XElement(A + "Audience", audience))),
                new XElement(A + "AuthnStatement", new XAttribute("AuthnInstant", Instant(issuedAt)), new XAttribute("SessionIndex", NewId()),
                    new XElement(A + "AuthnContext", new XElement(A + "AuthnContextClassRef", "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"))),
                new XElement(A + "AttributeStatement", Attributes(request, providerArn))));
    }

    private static IEnumerable<XElement> Attributes(SamlResponseRequest request, string providerArn)
    {
        yield return Attribute(SamlNames.RoleAttribute, [$"{request.RoleArn},{providerArn}"]);
        var sessionName = request.RoleSessionName ?? request.Subject;
        if (sessionName.Length > 0)
        {
            yield return Attribute(SamlNames.RoleSessionNameAttribute, [sessionName]);
        }

        if (request.SessionDurationSeconds is int seconds)
        {
            yield return Attribute(SamlNames.SessionDurationAttribute, [seconds.ToString(CultureInfo.InvariantCulture)]);
        }

        if (request.SourceIdentity is { } source)
        {
            yield return Attribute(SamlNames.SourceIdentityAttribute, [source]);
        }

        if (request.Tenant is { } tenant)
        {
            yield return Attribute("tenant", [tenant]);
        }

        if (request.Groups.Count > 0)
        {
            yield return Attribute("groups", request.Groups);
        }

        foreach (var (name, values) in request.Attributes)
        {
            yield return Attribute(name, values);
        }
    }

    private static XElement Attribute(string name, IEnumerable<string> values) =>
        new(A + "Attribute", new XAttribute("Name", name), values.Select(v => new XElement(A + "AttributeValue", v)));

    // An xs:ID must not start with a digit.
    internal static string NewId() => "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
