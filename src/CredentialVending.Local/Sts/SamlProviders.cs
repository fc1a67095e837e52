using System.Security.Cryptography.X509Certificates;
using System.Xml;
using CredentialVending.Local.Saml;

namespace CredentialVending.Local.Sts;

/// <summary>An IAM SAML provider as STS knows it: the entity id and signing certificates of its metadata.</summary>
internal sealed record SamlProvider(string Arn, string EntityId, IReadOnlyList<X509Certificate2> SigningCertificates);

/// <summary>Reads the SAML providers' metadata once, at start: a provider whose metadata does not read is a setup mistake.</summary>
internal static class SamlProviders
{
    public static Dictionary<string, SamlProvider> Read(IReadOnlyDictionary<string, string> metadata)
    {
        var providers = new Dictionary<string, SamlProvider>(StringComparer.Ordinal);
        foreach (var (arn, xml) in metadata)
        {
            try
            {
                providers[arn] = ReadOne(arn, xml);
            }
            catch (Exception e) when (e is XmlException or FormatException or System.Security.Cryptography.CryptographicException)
            {
                throw new ArgumentException($"The metadata of SAML provider {arn} does not read: {e.Message}", nameof(metadata), e);
            }
        }

        return providers;
    }

    private static SamlProvider ReadOne(string arn, string xml)
    {
        var document = DevelopmentSamlProvider.Load(xml);
        var entity = document.DocumentElement;
        if (entity is null || entity.LocalName != "EntityDescriptor" || entity.NamespaceURI != SamlNames.Metadata || entity.GetAttribute("entityID").Length == 0)
        {
            throw new XmlException("it is no md:EntityDescriptor with an entityID");
        }

        // IAM takes the IdP's signing keys: a KeyDescriptor with use="signing", or with no use (both uses).
        var certificates = entity.GetElementsByTagName("KeyDescriptor", SamlNames.Metadata).Cast<XmlElement>()
            .Where(k => k.ParentNode is XmlElement { LocalName: "IDPSSODescriptor" } && k.GetAttribute("use") is "" or "signing")
            .SelectMany(k => k.GetElementsByTagName("X509Certificate", SamlNames.DSig).Cast<XmlElement>())
            .Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.InnerText.Trim())))
            .ToList();
        if (certificates.Count == 0)
        {
            throw new XmlException("its IDPSSODescriptor has no signing certificate");
        }

        return new SamlProvider(arn, entity.GetAttribute("entityID"), certificates);
    }
}
