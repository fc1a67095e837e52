using System.Text;
using CredentialVending.Tenants;
using CredentialVending.Tests.Tenants;

namespace CredentialVending.Tests.Identity.Saml;

/// <summary>An unsigned SAML response for <see cref="TenantSamples.AcmeSaml"/> (the reader does not verify signatures: STS does), and edits of it.</summary>
internal static class SamlSamples
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public const string RoleValue = "arn:aws:iam::123456789012:role/tenant-acme,arn:aws:iam::123456789012:saml-provider/acme-idp";

    /// <summary>Issued at <see cref="Now"/>, valid five minutes, for alice@acme.example, groups editors and admins, tenant acme.</summary>
    public const string Response = """
        <?xml version="1.0" encoding="UTF-8"?>
        <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-12-01T12:00:00Z" Destination="https://signin.aws.amazon.com/saml">
          <saml:Issuer>https://idp.acme.example/saml</saml:Issuer>
          <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
          <saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-12-01T12:00:00Z">
            <saml:Issuer>https://idp.acme.example/saml</saml:Issuer>
            <saml:Subject>
              <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice@acme.example</saml:NameID>
              <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
                <saml:SubjectConfirmationData NotOnOrAfter="2026-12-01T12:05:00Z" Recipient="https://signin.aws.amazon.com/saml"/>
              </saml:SubjectConfirmation>
            </saml:Subject>
            <saml:Conditions NotBefore="2026-12-01T12:00:00Z" NotOnOrAfter="2026-12-01T12:05:00Z">
              <saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction>
            </saml:Conditions>
            <saml:AttributeStatement>
              <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::123456789012:role/tenant-acme,arn:aws:iam::123456789012:saml-provider/acme-idp</saml:AttributeValue></saml:Attribute>
              <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>alice@acme.example</saml:AttributeValue></saml:Attribute>
              <saml:Attribute Name="http://schemas.xmlsoap.org/claims/Group"><saml:AttributeValue>editors</saml:AttributeValue><saml:AttributeValue>admins</saml:AttributeValue></saml:Attribute>
              <saml:Attribute Name="urn:acme:tenant"><saml:AttributeValue>acme</saml:AttributeValue></saml:Attribute>
            </saml:AttributeStatement>
          </saml:Assertion>
        </samlp:Response>
        """;

    public static TenantDocument Tenant { get; } = TenantSamples.Valid(TenantSamples.AcmeSaml);

    public static string Base64(string xml) => Convert.ToBase64String(Encoding.UTF8.GetBytes(xml));

    /// <summary>The response with the first occurrence of <paramref name="find"/> replaced (it must occur).</summary>
    public static string Edit(string find, string replace, string xml = Response)
    {
        var at = xml.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the sample holds no {find}");
        return string.Concat(xml.AsSpan(0, at), replace, xml.AsSpan(at + find.Length));
    }

    /// <summary>The one Assertion element of the sample, for shapes that copy it.</summary>
    public static string Assertion
    {
        get
        {
            var start = Response.IndexOf("<saml:Assertion", StringComparison.Ordinal);
            var end = Response.IndexOf("</saml:Assertion>", StringComparison.Ordinal) + "</saml:Assertion>".Length;
            return Response[start..end];
        }
    }
}
