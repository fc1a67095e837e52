namespace CredentialVending.Local.Saml;

/// <summary>The SAML 2.0 and AWS names the development identity provider writes and the STS emulator reads.</summary>
public static class SamlNames
{
    /// <summary><c>urn:oasis:names:tc:SAML:2.0:assertion</c>.</summary>
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";

    /// <summary><c>urn:oasis:names:tc:SAML:2.0:protocol</c>.</summary>
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";

    /// <summary><c>urn:oasis:names:tc:SAML:2.0:metadata</c>.</summary>
    public const string Metadata = "urn:oasis:names:tc:SAML:2.0:metadata";

    /// <summary>The XML signature namespace.</summary>
    public const string DSig = "http://www.w3.org/2000/09/xmldsig#";

    /// <summary>The audience (and recipient) AWS sign-in expects; regional endpoints are <c>https://REGION.signin.aws.amazon.com/saml</c>.</summary>
    public const string AwsAudience = "https://signin.aws.amazon.com/saml";

    /// <summary>The attribute whose values are <c>roleArn,providerArn</c> pairs.</summary>
    public const string RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";

    /// <summary>The attribute STS takes the session name from.</summary>
    public const string RoleSessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";

    /// <summary>The attribute that caps the session's duration, in seconds.</summary>
    public const string SessionDurationAttribute = "https://aws.amazon.com/SAML/Attributes/SessionDuration";

    /// <summary>The attribute STS answers as <c>SourceIdentity</c>.</summary>
    public const string SourceIdentityAttribute = "https://aws.amazon.com/SAML/Attributes/SourceIdentity";

    /// <summary>The NameID format STS answers as <c>persistent</c>.</summary>
    public const string PersistentFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";

    /// <summary>The NameID format STS answers as <c>transient</c>.</summary>
    public const string TransientFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

    /// <summary>The NameID format of the development provider's responses: STS answers the URI itself as <c>SubjectType</c>.</summary>
    public const string UnspecifiedFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

    /// <summary>A response's top-level status when the user signed in.</summary>
    public const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";
}
