using System.Text;
using CredentialVending.Common;
using CredentialVending.Tenants;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Tenants;

/// <summary>docs/api.md "SAML tenants": the identity.saml block, and what saml mode refuses of the other modes' settings.</summary>
public class TenantDocumentReaderSamlTests
{
    private const string Saml = "identity/saml";

    [Fact]
    public void A_saml_tenant_reads_its_identity_provider_and_attribute_map()
    {
        var tenant = Valid(AcmeSaml);

        Assert.Equal(IssuanceMode.Saml, tenant.Issuance.Mode);
        Assert.Null(tenant.Identity.Issuer);
        Assert.Empty(tenant.Identity.Audiences);
        Assert.Equal("https://idp.acme.example/saml", tenant.Identity.Saml!.EntityId);
        Assert.Equal("arn:aws:iam::123456789012:saml-provider/acme-idp", tenant.Identity.Saml.ProviderArn);
        Assert.Equal(SamlSettings.NameId, tenant.Identity.Saml.Subject);
        Assert.Equal(["groups", "tenant"], tenant.Identity.Saml.Attributes.Select(a => a.Value));
        Assert.Equal("tenant", tenant.Identity.TenantClaim);
        Assert.Equal("sub", tenant.Identity.SubjectClaim);
    }

    [Fact]
    public void A_saml_tenant_without_subject_or_attributes_takes_the_name_id_and_no_claims()
    {
        var tenant = Valid(Edit("identity/tenantClaim", null, Edit("scopes/files:write", null, Edit("permissions", null,
            Edit(Saml + "/attributes", null, Edit(Saml + "/subject", null, AcmeSaml))))));

        Assert.Equal(SamlSettings.NameId, tenant.Identity.Saml!.Subject);
        Assert.Empty(tenant.Identity.Saml.Attributes);
    }

    [Fact]
    public void A_saml_tenant_may_add_a_bearer_issuer_for_its_operator_routes()
    {
        var json = Edit("identity/audiences", "[\"ops\"]", Edit("identity/issuer", "\"https://ops.acme.example\"", AcmeSaml));

        var tenant = Valid(json);

        Assert.Equal("https://ops.acme.example", tenant.Identity.Issuer);
        Assert.Equal(["ops"], tenant.Identity.Audiences);
    }

    [Theory]
    [InlineData("identity/saml", null, "identity.saml", "is required")]
    [InlineData(Saml, "[]", "identity.saml", "must be an object")]
    [InlineData(Saml + "/entityId", null, "identity.saml.entityId", "is required")]
    [InlineData(Saml + "/entityId", "\"\"", "identity.saml.entityId", "must be 1 to 1024")]
    [InlineData(Saml + "/entityId", "\"https://idp example\"", "identity.saml.entityId", "must be printable text without spaces")]
    [InlineData(Saml + "/entityId", "7", "identity.saml.entityId", "must be a string")]
    [InlineData(Saml + "/providerArn", null, "identity.saml.providerArn", "is required")]
    [InlineData(Saml + "/providerArn", "\"arn:aws:iam::123456789012:role/acme-idp\"", "identity.saml.providerArn", "must be arn:aws:iam::<12 digits>:saml-provider/<name>")]
    [InlineData(Saml + "/providerArn", "\"arn:aws:iam::12345:saml-provider/acme-idp\"", "identity.saml.providerArn", "must be arn:aws:iam::<12 digits>:saml-provider/<name>")]
    [InlineData(Saml + "/providerArn", "\"arn:aws:iam::123456789012:saml-provider/a b\"", "identity.saml.providerArn", "must be arn:aws:iam::<12 digits>:saml-provider/<name>")]
    [InlineData(Saml + "/providerArn", "\"arn:aws:iam::123456789012:saml-provider/acme\\n\"", "identity.saml.providerArn", "must be arn:aws:iam::<12 digits>:saml-provider/<name>")]
    [InlineData(Saml + "/subject", "\"\"", "identity.saml.subject", "must be 1 to 1024")]
    [InlineData(Saml + "/subject", "\"user name\"", "identity.saml.subject", "must be nameId or the name of the attribute")]
    [InlineData(Saml + "/signingKey", "\"x\"", "identity.saml.signingKey", "unknown field")]
    [InlineData(Saml + "/attributes", "[]", "identity.saml.attributes", "must be an object of SAML attribute names to claim names")]
    [InlineData(Saml + "/attributes", "{\"urn:group\":\"sub\"}", "identity.saml.attributes.urn:group", "must not be sub")]
    [InlineData(Saml + "/attributes", "{\"urn:group\":\"iat\"}", "identity.saml.attributes.urn:group", "must not be iat")]
    [InlineData(Saml + "/attributes", "{\"urn:group\":\"\"}", "identity.saml.attributes.urn:group", "must be 1 to 256")]
    [InlineData(Saml + "/attributes", "{\"urn:group\":5}", "identity.saml.attributes.urn:group", "must be a string")]
    [InlineData(Saml + "/attributes", "{\"urn:group\":\"{groups}\"}", "identity.saml.attributes.urn:group", "must name a claim by printable ASCII")]
    [InlineData(Saml + "/attributes", "{\"urn:group\":\"my groups\"}", "identity.saml.attributes.urn:group", "must name a claim by printable ASCII")]
    [InlineData(Saml + "/attributes", "{\"urn:a\":\"tenant\",\"urn:b\":\"tenant\"}", "identity.saml.attributes.urn:b", "another attribute already fills")]
    [InlineData(Saml + "/attributes", "{\"urn:a b\":\"tenant\"}", "identity.saml.attributes.urn:a b", "must be named by 1 to 1024 printable characters")]
    [InlineData(Saml + "/attributes", "{\"\":\"tenant\"}", "identity.saml.attributes.", "must be named by 1 to 1024 printable characters")]
    [InlineData("identity/tenantClaim", "\"custom:tenant_id\"", "identity.tenantClaim", "names no claim of identity.saml.attributes")]
    [InlineData("identity/subjectClaim", "\"email\"", "identity.subjectClaim", "is not read in saml mode")]
    [InlineData("identity/issuer", "\"https://ops.acme.example\"", "identity.audiences", "is required with the other")]
    [InlineData("identity/audiences", "[\"ops\"]", "identity.issuer", "is required with the other")]
    [InlineData("issuance/externalId", "\"acme-7f3c\"", "issuance.externalId", "has no effect in saml mode")]
    [InlineData("sessionTags", "{\"tenant\":\"{{tenant}}\"}", "sessionTags", "has no effect in saml mode")]
    [InlineData("scopes/files:read/statements/0/Resource", "\"arn:aws:s3:::acme-data/${aws:PrincipalTag/tenant}/*\"", "scopes.files:read.statements[0]", "in saml mode the identity provider sets the session's tags")]
    public void A_broken_saml_rule_is_reported_at_its_path(string pointer, string? json, string path, string message)
    {
        var outcome = Read(Edit(pointer, json, AcmeSaml));

        Assert.Equal(Codes.InvalidTenant, outcome.Refusal?.Code);
        Assert.Contains(outcome.Refusal!.Errors!, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_saml_problem_is_listed_at_once()
    {
        var json = Edit(Saml + "/providerArn", "\"arn:aws:iam::1:saml-provider/x\"", Edit(Saml + "/entityId", null,
            Edit(Saml + "/attributes", "{\"urn:a\":\"sub\"}", AcmeSaml)));

        var errors = Read(json).Refusal!.Errors!.Select(e => e.Path).ToArray();

        Assert.Contains("identity.saml.entityId", errors);
        Assert.Contains("identity.saml.providerArn", errors);
        Assert.Contains("identity.saml.attributes.urn:a", errors);
    }

    [Fact]
    public void A_saml_tenant_written_and_read_again_is_the_same_document()
    {
        var tenant = Valid(AcmeSaml);

        var written = TenantDocumentWriter.Write(tenant);
        var again = Valid(Encoding.UTF8.GetString(written));

        Assert.Equal(written, TenantDocumentWriter.Write(again));
        Assert.Equal(tenant.Identity.Saml!.EntityId, again.Identity.Saml!.EntityId);
        Assert.Equal(tenant.Identity.Saml.Attributes, again.Identity.Saml.Attributes);
        Assert.DoesNotContain("\"issuer\"", Encoding.UTF8.GetString(written), StringComparison.Ordinal);
    }
}
