using System.Text;
using System.Text.Json;
using CredentialVending.Tenants;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Tenants;

public class TenantDocumentWriterTests
{
    public static TheoryData<string> Documents => new()
    {
        Acme,
        Edit("issuance/mode", "\"webIdentity\"", Edit("issuance/externalId", null, Edit("sessionTags", null))),
        Edit("issuance/mode", "\"brokered\"", Edit("issuance/externalId", null, Edit("issuance/maxDurationSeconds", "43200"))),
        Edit("limits", "{}", Edit("permissions", null, Edit("displayName", null))),
        Edit("scopes/files:read/shared", "true", Edit("scopes/files:read/statements/0/Condition", """{"StringLike":{"s3:prefix":["${aws:PrincipalTag/tenant}/+", 3, true]}}""")),
        Edit("scopes/files:read/statements/0/Resource", "\"arn:aws:s3:::acme-data/{{tenant}}/caf\u00e9/\\u0041/{{claim:https://example.com/org}}\""),
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Reading_what_was_written_gives_the_same_document(string json)
    {
        var first = TenantDocumentWriter.Write(Valid(json));

        var again = TenantDocumentWriter.Write(Valid(Encoding.UTF8.GetString(first)));

        Assert.Equal(Encoding.UTF8.GetString(first), Encoding.UTF8.GetString(again));
    }

    [Fact]
    public void The_written_example_holds_every_field_the_author_wrote_in_the_contract_order()
    {
        using var written = JsonDocument.Parse(TenantDocumentWriter.Write(Valid()));
        using var original = JsonDocument.Parse(Acme);

        Assert.Equal(original.RootElement.EnumerateObject().Select(p => p.Name), written.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(JsonElement.DeepEquals(original.RootElement, written.RootElement));
    }

    [Fact]
    public void Defaults_are_written_out_and_a_version_follows_the_tenant_id()
    {
        var tenant = Valid(Edit("issuance/defaultDurationSeconds", null, Edit("identity/subjectClaim", null)));

        using var written = JsonDocument.Parse(TenantDocumentWriter.Write(tenant, version: 4));

        Assert.Equal(["tenantId", "version"], written.RootElement.EnumerateObject().Take(2).Select(p => p.Name));
        Assert.Equal(4, written.RootElement.GetProperty("version").GetInt64());
        Assert.Equal("sub", written.RootElement.GetProperty("identity").GetProperty("subjectClaim").GetString());
        Assert.Equal(900, written.RootElement.GetProperty("issuance").GetProperty("defaultDurationSeconds").GetInt32());
    }

    [Fact]
    public void A_written_document_with_its_version_can_be_put_back() =>
        Valid(Encoding.UTF8.GetString(TenantDocumentWriter.Write(Valid(), version: 12)));

    [Fact]
    public void The_same_document_written_twice_is_the_same_bytes() =>
        Assert.Equal(TenantDocumentWriter.Write(Valid()), TenantDocumentWriter.Write(Valid(Acme.Replace("\n", " ", StringComparison.Ordinal))));
}
