using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace CredentialVending.Local.Saml;

/// <summary>Enveloped XML signatures over one element by its <c>ID</c>, the way SAML identity providers sign assertions, and their check as STS makes it.</summary>
internal static class SamlSignature
{
    /// <summary>The <c>ds:Signature</c> element (owned by the element's document, not yet inserted).</summary>
    public static XmlElement Sign(XmlElement element, RSA key, X509Certificate2 certificate)
    {
        var document = element.OwnerDocument;
        var signed = new SignedXml(document) { SigningKey = key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + element.GetAttribute("ID")) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(certificate));
        signed.KeyInfo = keyInfo;
        signed.ComputeSignature();
        return (XmlElement)document.ImportNode(signed.GetXml(), deep: true);
    }

    /// <summary>
    /// Whether every signature on the response or its assertion verifies against one of <paramref name="certificates"/>,
    /// each with one Reference to its own parent's ID, IDs unique, and at least one there: so the signed element is the
    /// one that is read, never one moved elsewhere.
    /// </summary>
    public static bool Covers(XmlDocument document, XmlElement root, XmlElement assertion, IReadOnlyList<X509Certificate2> certificates)
    {
        var ids = document.SelectNodes("//@ID|//@Id|//@id")!.Cast<XmlAttribute>().Select(a => a.Value).ToList();
        if (ids.Count != ids.Distinct(StringComparer.Ordinal).Count())
        {
            return false;
        }

        var signatures = new[] { root, assertion }
            .SelectMany(parent => parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "Signature" && e.NamespaceURI == SamlNames.DSig)).ToList();
        return signatures.Count > 0 && signatures.All(s => Verifies(s, certificates));
    }

    private static bool Verifies(XmlElement signature, IReadOnlyList<X509Certificate2> certificates)
    {
        var parent = (XmlElement)signature.ParentNode!;
        var references = signature.GetElementsByTagName("Reference", SamlNames.DSig).Cast<XmlElement>().ToList();
        if (references.Count != 1 || parent.GetAttribute("ID").Length == 0 || references[0].GetAttribute("URI") != "#" + parent.GetAttribute("ID"))
        {
            return false;
        }

        try
        {
            var signed = new SignedXml(parent);
            signed.LoadXml(signature);
            return certificates.Any(c => signed.CheckSignature(c, verifySignatureOnly: true));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
