using System.Xml;

namespace CredentialVending.Local.Saml;

/// <summary>Where <see cref="HostileSamlResponses.WrappedSignature"/> hides the genuinely signed assertion.</summary>
public enum SamlWrapping
{
    /// <summary>In a <c>samlp:Extensions</c> element of the response, the forged assertion in its old place.</summary>
    Extensions,

    /// <summary>In a <c>ds:Object</c> of its own signature, which the forged assertion (in its old place) carries.</summary>
    SignatureObject,
}

/// <summary>
/// The attack shapes of SAML responses, each from a genuinely signed development response, for tests that show a
/// reader refuses them before STS is called (or that STS's answer and the reader disagree). Every method answers the
/// response as XML text; <see cref="DevelopmentSamlProvider.Encode"/> makes the base64 a request carries. The shapes
/// that need only a signed response with one thing wrong (an expired window, the wrong audience, another tenant's
/// attribute) are <see cref="SamlResponseRequest"/> properties: <see cref="Expired"/>, <see cref="WrongAudience"/>
/// and <see cref="OtherTenant"/> name them.
/// </summary>
public static class HostileSamlResponses
{
    /// <summary>The subject of the forged assertions.</summary>
    public const string ForgedSubject = "mallory";

    /// <summary>A DTD with an external entity (XXE), which the forged <c>NameID</c> references: a reader that expands it reads a local file as the subject.</summary>
    public static string WithDoctype(DevelopmentSamlProvider provider, SamlResponseRequest request)
    {
        var xml = Signed(provider, request);
        var root = xml.DocumentElement!.Name;
        var nameId = xml.GetElementsByTagName("NameID", SamlNames.Assertion)[0]!;
        nameId.InnerText = "XXE_HERE";
        return $"<?xml version=\"1.0\"?><!DOCTYPE {root} [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + xml.DocumentElement.OuterXml.Replace("XXE_HERE", "&xxe;", StringComparison.Ordinal);
    }

    /// <summary>The signed assertion, then a second, forged one (unsigned, naming <see cref="ForgedSubject"/> and <paramref name="forgedTenant"/>).</summary>
    public static string TwoAssertions(DevelopmentSamlProvider provider, SamlResponseRequest request, string? forgedTenant = null)
    {
        var xml = Signed(provider, request);
        var signed = Assertion(xml);
        signed.ParentNode!.InsertAfter(Forged(signed, forgedTenant ?? request.Tenant), signed);
        return xml.OuterXml;
    }

    /// <summary>Signature wrapping (XSW): the signed assertion moved where a careless reader does not look, a forged
    /// assertion (naming <see cref="ForgedSubject"/> and <paramref name="forgedTenant"/>) where it was. The signature still verifies.</summary>
    public static string WrappedSignature(DevelopmentSamlProvider provider, SamlResponseRequest request, SamlWrapping wrapping = SamlWrapping.Extensions, string? forgedTenant = null)
    {
        var xml = Signed(provider, request);
        var signed = Assertion(xml);
        var forged = Forged(signed, forgedTenant ?? request.Tenant);
        var response = xml.DocumentElement!;
        response.ReplaceChild(forged, signed);
        if (wrapping == SamlWrapping.Extensions)
        {
            var extensions = xml.CreateElement("samlp", "Extensions", SamlNames.Protocol);
            extensions.AppendChild(signed);
            response.InsertAfter(extensions, response.GetElementsByTagName("Issuer", SamlNames.Assertion)[0]);
        }
        else
        {
            var signature = signed.GetElementsByTagName("Signature", SamlNames.DSig)[0]!;
            signed.RemoveChild(signature);
            var holder = xml.CreateElement("ds", "Object", SamlNames.DSig);
            holder.AppendChild(signed);
            signature.AppendChild(holder);
            forged.InsertAfter(signature, forged.GetElementsByTagName("Issuer", SamlNames.Assertion)[0]);
        }

        return xml.OuterXml;
    }

    /// <summary>A comment inside the signed <c>NameID</c>, after its first <paramref name="keep"/> characters. Exclusive
    /// c14n drops comments, so the signature still verifies; a reader that takes the first text node reads a shorter subject.</summary>
    public static string CommentInNameId(DevelopmentSamlProvider provider, SamlResponseRequest request, int keep)
    {
        var xml = Signed(provider, request);
        var nameId = xml.GetElementsByTagName("NameID", SamlNames.Assertion)[0]!;
        var text = nameId.InnerText;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(keep, text.Length);
        nameId.RemoveAll();
        ((XmlElement)nameId).SetAttribute("Format", request.NameIdFormat);
        nameId.AppendChild(xml.CreateTextNode(text[..keep]));
        nameId.AppendChild(xml.CreateComment(string.Empty));
        nameId.AppendChild(xml.CreateTextNode(text[keep..]));
        return xml.OuterXml;
    }

    /// <summary>A correctly signed response of at least <paramref name="characters"/> characters (a <c>padding</c> attribute):
    /// over STS's 100,000-character limit for <c>SAMLAssertion</c> once base64, by default.</summary>
    public static string Oversized(DevelopmentSamlProvider provider, SamlResponseRequest request, int characters = 200 * 1024)
    {
        ArgumentNullException.ThrowIfNull(request);
        var padding = new Dictionary<string, IReadOnlyList<string>>(request.Attributes) { ["padding"] = [new string('x', characters)] };
        return Signed(provider, request with { Attributes = padding }).OuterXml;
    }

    /// <summary>Signed, with a window that closed <paramref name="ago"/> (ten minutes by default) and had lasted five.</summary>
    public static SamlResponseRequest Expired(SamlResponseRequest request, TimeSpan? ago = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with { IssuedAt = (time ?? TimeProvider.System).GetUtcNow() - (ago ?? TimeSpan.FromMinutes(10)) - request.Lifetime };
    }

    /// <summary>Signed, for another service provider's audience (and recipient).</summary>
    public static SamlResponseRequest WrongAudience(SamlResponseRequest request, string audience = "https://sp.example.com/saml/acs")
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with { Audience = audience };
    }

    /// <summary>Signed, with another tenant's <c>tenant</c> attribute.</summary>
    public static SamlResponseRequest OtherTenant(SamlResponseRequest request, string tenant)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with { Tenant = tenant };
    }

    private static XmlDocument Signed(DevelopmentSamlProvider provider, SamlResponseRequest request)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return DevelopmentSamlProvider.Load(provider.SignedResponseXml(request));
    }

    private static XmlElement Assertion(XmlDocument xml) => (XmlElement)xml.GetElementsByTagName("Assertion", SamlNames.Assertion)[0]!;

    private static XmlElement Forged(XmlElement signed, string? tenant)
    {
        var forged = (XmlElement)signed.CloneNode(deep: true);
        forged.SetAttribute("ID", SamlResponseWriter.NewId());
        foreach (var signature in forged.GetElementsByTagName("Signature", SamlNames.DSig).Cast<XmlNode>().ToList())
        {
            forged.RemoveChild(signature);
        }

        forged.GetElementsByTagName("NameID", SamlNames.Assertion)[0]!.InnerText = ForgedSubject;
        foreach (var attribute in forged.GetElementsByTagName("Attribute", SamlNames.Assertion).Cast<XmlElement>())
        {
            var name = attribute.GetAttribute("Name");
            if (name == SamlNames.RoleSessionNameAttribute || (name == "tenant" && tenant is not null))
            {
                attribute.GetElementsByTagName("AttributeValue", SamlNames.Assertion)[0]!.InnerText = name == "tenant" ? tenant! : ForgedSubject;
            }
        }

        return forged;
    }
}
