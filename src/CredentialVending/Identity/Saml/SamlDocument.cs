using System.Xml;

namespace CredentialVending.Identity.Saml;

/// <summary>
/// What one reading of a SAML 2.0 <c>Response</c> found, before any check against a tenant: every text it takes is
/// read whole, from an element holding text alone. A shape that could make two readers disagree (a DTD, a second
/// assertion, an encrypted one, a comment or processing instruction, an element twice where one is meant) is refused
/// while reading, so what the checks see is the one reading STS's verified assertion can have.
/// </summary>
internal sealed class SamlDocument
{
    public const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    private const string XIncludeNs = "http://www.w3.org/2001/XInclude";

    public string? ResponseIssuer { get; private set; }
    public string? StatusCode { get; private set; }
    public string? Issuer { get; private set; }
    public string? IssueInstant { get; private set; }
    public string? NameId { get; private set; }
    public string? ConfirmationNotBefore { get; private set; }
    public string? ConfirmationNotOnOrAfter { get; private set; }
    public string? Recipient { get; private set; }
    public string? NotBefore { get; private set; }
    public string? NotOnOrAfter { get; private set; }
    public bool HasConditions { get; private set; }

    /// <summary>Each AudienceRestriction's audiences: the assertion is for us only when every restriction names us.</summary>
    public List<List<string>> AudienceRestrictions { get; } = [];

    /// <summary>Attribute name to values, in document order.</summary>
    public List<KeyValuePair<string, List<string>>> Attributes { get; } = [];

    /// <summary>Reads the document, or says (without quoting it) what made it unreadable.</summary>
    public static (SamlDocument? Document, string? Problem) Read(byte[] xml, int maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            CloseInput = true,
        };
        var document = new SamlDocument();
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), settings);
            return (document, document.Walk(reader));
        }
        catch (XmlException)
        {
            // The message quotes the document; the caller is told what kind of thing was wrong, never its text.
            return (null, "is not well-formed XML, or holds a DTD, which is never read");
        }
    }

    private const string Response = "p:Response";
    private const string Assertion = Response + "/a:Assertion";
    private const string Confirmation = Assertion + "/a:Subject/a:SubjectConfirmation/a:SubjectConfirmationData";
    private const string Conditions = Assertion + "/a:Conditions";
    private const string Restriction = Conditions + "/a:AudienceRestriction";
    private const string Attribute = Assertion + "/a:AttributeStatement/a:Attribute";

    private bool _sawAssertion;

    private string? Walk(XmlReader reader)
    {
        var path = new Stack<string>();
        var assertions = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Comment or XmlNodeType.ProcessingInstruction:
                    return "holds a comment or processing instruction, which a signature does not cover";
                case XmlNodeType.DocumentType or XmlNodeType.EntityReference:
                    return "holds a DTD or an entity, which is never read";
                case XmlNodeType.EndElement:
                    path.Pop();
                    break;
                case XmlNodeType.Element:
                    if (reader.NamespaceURI == XIncludeNs)
                    {
                        return "holds an XInclude element, which is never followed";
                    }

                    if (reader.LocalName == "EncryptedAssertion")
                    {
                        return "holds an EncryptedAssertion, which this service cannot read before STS";
                    }

                    if (reader.LocalName == "Assertion" && ++assertions > 1)
                    {
                        return "holds more than one Assertion";
                    }

                    var at = path.Count == 0 ? Name(reader) : path.Peek() + "/" + Name(reader);
                    if (path.Count == 0 && at != Response)
                    {
                        return "is not a SAML 2.0 Response";
                    }

                    var empty = reader.IsEmptyElement;
                    var (problem, consumed) = Element(reader, at);
                    if (problem is not null)
                    {
                        return problem;
                    }

                    if (!empty && !consumed)
                    {
                        path.Push(at);
                    }

                    break;
            }
        }

        return _sawAssertion ? null : "holds no Assertion where a Response keeps it";
    }

    /// <summary>Takes what the service reads of one element; the text elements are read whole, end tag included.</summary>
    private (string? Problem, bool Consumed) Element(XmlReader reader, string at)
    {
        switch (at)
        {
            case Response + "/a:Issuer":
                return Text(reader, "the Response's Issuer", ResponseIssuer, v => ResponseIssuer = v);
            case Response + "/p:Status/p:StatusCode":
                return (Once(reader, "the StatusCode", StatusCode, "Value", v => StatusCode = v), false);
            case Assertion:
                _sawAssertion = true;
                IssueInstant = reader.GetAttribute("IssueInstant");
                return (null, false);
            case Assertion + "/a:Issuer":
                return Text(reader, "the Assertion's Issuer", Issuer, v => Issuer = v);
            case Assertion + "/a:Subject/a:NameID":
                return Text(reader, "the NameID", NameId, v => NameId = v);
            case Confirmation:
                if (Recipient is not null || ConfirmationNotOnOrAfter is not null)
                {
                    return ("holds more than one SubjectConfirmationData", false);
                }

                ConfirmationNotBefore = reader.GetAttribute("NotBefore");
                ConfirmationNotOnOrAfter = reader.GetAttribute("NotOnOrAfter");
                Recipient = reader.GetAttribute("Recipient") ?? string.Empty;
                return (null, false);
            case Conditions:
                if (HasConditions)
                {
                    return ("holds more than one Conditions", false);
                }

                HasConditions = true;
                NotBefore = reader.GetAttribute("NotBefore");
                NotOnOrAfter = reader.GetAttribute("NotOnOrAfter");
                return (null, false);
            case Restriction:
                AudienceRestrictions.Add([]);
                return (null, false);
            case Restriction + "/a:Audience":
                return Text(reader, "an Audience", null, AudienceRestrictions[^1].Add);
            case Attribute:
                var name = reader.GetAttribute("Name");
                if (string.IsNullOrEmpty(name) || Attributes.Any(a => a.Key == name))
                {
                    return ("holds an Attribute without a Name, or two of one Name", false);
                }

                Attributes.Add(new(name, []));
                return (null, false);
            case Attribute + "/a:AttributeValue":
                return Text(reader, "an AttributeValue", null, Attributes[^1].Value.Add);
            default:
                return (null, false);
        }
    }

    private static string? Once(XmlReader reader, string what, string? already, string attribute, Action<string> take)
    {
        if (already is not null)
        {
            return $"holds {what} twice";
        }

        take(reader.GetAttribute(attribute) ?? string.Empty);
        return null;
    }

    /// <summary>
    /// An element's text, read whole: text and CDATA only. A comment splitting it (alice@corp<!---->.evil) or a child
    /// element would let a reader that stops at the first text node read another value than a signature covers.
    /// </summary>
    private static (string? Problem, bool Consumed) Text(XmlReader reader, string what, string? already, Action<string> take)
    {
        if (already is not null)
        {
            return ($"holds {what} twice", false);
        }

        if (reader.IsEmptyElement)
        {
            take(string.Empty);
            return (null, false);
        }

        var text = new System.Text.StringBuilder();
        var depth = reader.Depth;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement when reader.Depth == depth:
                    take(text.ToString());
                    return (null, true);
                case XmlNodeType.Comment or XmlNodeType.ProcessingInstruction:
                    return ($"holds a comment or processing instruction inside {what}, which a signature does not cover", true);
                default:
                    return ($"holds {what} with something other than text in it", true);
            }
        }

        return ($"ends inside {what}", true);
    }

    private static string Name(XmlReader reader) => reader.NamespaceURI switch
    {
        AssertionNs => "a:" + reader.LocalName,
        ProtocolNs => "p:" + reader.LocalName,
        _ => "?:" + reader.LocalName,
    };
}
