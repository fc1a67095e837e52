using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace CredentialVending.Local.Saml;

/// <summary>Enveloped XML signatures over one element by its <c>ID</c>, the way SAML identity providers sign assertions.</summary>
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
}
