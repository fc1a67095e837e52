using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CredentialVending.Local.Saml;

/// <summary>
/// A development SAML 2.0 identity provider, for local runs and tests only: an RSA key and a self-signed certificate
/// made at start and kept in memory, metadata as ADFS or Okta publish it, and signed responses for whoever asks
/// (<c>GET /_local/saml</c>, loopback callers only). The STS emulator knows it as the IAM SAML provider
/// <c>arn:aws:iam::ACCOUNT:saml-provider/local-dev</c>. Never trust it in a deployment.
/// </summary>
/// <remarks>
/// Responses are base64 of the XML, as the browser POST binding carries them in <c>SAMLResponse</c>; the assertion is
/// signed (enveloped, exclusive c14n, RSA-SHA256, the certificate in <c>KeyInfo</c>), the response itself is not.
/// <see cref="HostileSamlResponses"/> builds the attack shapes from these.
/// </remarks>
public sealed partial class DevelopmentSamlProvider : IDisposable
{
    /// <summary>The IAM SAML provider's name (the last part of its ARN).</summary>
    public const string ProviderName = "local-dev";

    /// <summary>The entity id when none is given: stable across runs, so a kept tenant document still names it.</summary>
    public const string DefaultEntityId = "urn:credential-vending:local-dev-idp";

    private readonly RSA _key;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<string> _made = new();

    /// <summary>Makes a provider with a new key and certificate.</summary>
    /// <param name="accountId">The account whose IAM knows the provider (its ARN's account).</param>
    /// <param name="entityId">The <c>Issuer</c> of its responses and the metadata's <c>entityID</c>.</param>
    /// <param name="time">The clock behind <c>IssueInstant</c> and the validity window.</param>
    public DevelopmentSamlProvider(string accountId = "123456789012", string entityId = DefaultEntityId, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentException.ThrowIfNullOrWhiteSpace(entityId);
        AccountId = accountId;
        EntityId = entityId;
        _time = time ?? TimeProvider.System;
        _key = RSA.Create(2048);
        var request = new CertificateRequest("CN=credential-vending local-dev SAML IdP", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = _time.GetUtcNow();
        Certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    public string AccountId { get; }

    public string EntityId { get; }

    /// <summary><c>arn:aws:iam::ACCOUNT:saml-provider/local-dev</c>.</summary>
    public string ProviderArn => ArnFor(AccountId);

    /// <summary>The signing certificate (public half, with the private key attached for signing).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The provider ARN of the development provider in an account.</summary>
    public static string ArnFor(string accountId) => $"arn:aws:iam::{accountId}:saml-provider/{ProviderName}";

    /// <summary>The role <c>GET /_local/saml</c> names for a tenant when the query names none: the system tests' convention.</summary>
    public string DefaultRoleFor(string tenantId) => $"arn:aws:iam::{AccountId}:role/tenant-{tenantId}";

    /// <summary>The metadata: an <c>EntityDescriptor</c> with an <c>IDPSSODescriptor</c> and its signing <c>KeyDescriptor</c>.</summary>
    public string MetadataXml()
    {
        XNamespace md = SamlNames.Metadata, ds = SamlNames.DSig;
        return new XElement(md + "EntityDescriptor",
            new XAttribute(XNamespace.Xmlns + "md", SamlNames.Metadata),
            new XAttribute(XNamespace.Xmlns + "ds", SamlNames.DSig),
            new XAttribute("entityID", EntityId),
            new XElement(md + "IDPSSODescriptor", new XAttribute("protocolSupportEnumeration", SamlNames.Protocol),
                new XElement(md + "KeyDescriptor", new XAttribute("use", "signing"),
                    new XElement(ds + "KeyInfo", new XElement(ds + "X509Data", new XElement(ds + "X509Certificate", Convert.ToBase64String(Certificate.RawData))))),
                new XElement(md + "NameIDFormat", SamlNames.PersistentFormat))).ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>A signed response, as XML text.</summary>
    public string SignedResponseXml(SamlResponseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var issuedAt = request.IssuedAt ?? _time.GetUtcNow();
        var response = SamlResponseWriter.Write(request, request.Issuer ?? EntityId, request.ProviderArn ?? ArnFor(AccountIdOf(request.RoleArn)), issuedAt);
        var document = Load(response.ToString(SaveOptions.DisableFormatting));
        var assertion = (XmlElement)document.GetElementsByTagName("Assertion", SamlNames.Assertion)[0]!;
        Sign(assertion);
        return document.OuterXml;
    }

    /// <summary>A signed response, base64 (what <c>SAMLResponse</c> and STS's <c>SAMLAssertion</c> carry).</summary>
    public string SignedResponse(SamlResponseRequest request)
    {
        var encoded = Encode(SignedResponseXml(request));
        _made.Enqueue(encoded.Substring(encoded.Length / 2, Math.Min(64, encoded.Length / 2)));
        return encoded;
    }

    /// <summary>
    /// Each signature value this provider made, and 64 characters from the middle of each response it encoded: text
    /// that no function's log line, ledger item or error answer may hold (the system tests' secret sweep reads it).
    /// </summary>
    public IReadOnlyCollection<string> Made => _made;

    /// <summary>Base64 of the UTF-8 text.</summary>
    public static string Encode(string xml) => Convert.ToBase64String(Encoding.UTF8.GetBytes(xml));

    /// <summary>Signs an assertion or a whole response in place, by its <c>ID</c>: the signature goes after the element's
    /// own <c>Issuer</c>, as the SAML schema orders it.</summary>
    /// <remarks>Public so a test can sign what it edited (a forged assertion signed by the right key, a response signed as a whole).</remarks>
    public void Sign(XmlElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var signature = SamlSignature.Sign(element, _key, Certificate);
        _made.Enqueue(signature.GetElementsByTagName("SignatureValue", SamlNames.DSig)[0]!.InnerText);
        var issuer = element.GetElementsByTagName("Issuer", SamlNames.Assertion).Cast<XmlElement>().FirstOrDefault(e => e.ParentNode == element);
        element.InsertAfter(signature, issuer);
    }

    /// <summary>Loads XML as the signer and the hostile shapes need it: whitespace kept, no DTD, nothing resolved.</summary>
    internal static XmlDocument Load(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private string AccountIdOf(string roleArn)
    {
        var parts = roleArn.Split(':');
        return parts.Length > 4 && parts[4].Length == 12 ? parts[4] : AccountId;
    }
}
