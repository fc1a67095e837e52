using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Tenants;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Tenants;

public class TenantDocumentReaderTests
{
    [Fact]
    public void The_example_of_the_contract_reads_whole()
    {
        var tenant = Valid();

        Assert.Equal("acme", tenant.TenantId);
        Assert.Equal("Acme Corp", tenant.DisplayName);
        Assert.Equal(TenantStatus.Active, tenant.Status);
        Assert.Equal("custom:tenant_id", tenant.Identity.TenantClaim);
        Assert.Equal(["4kq0example"], tenant.Identity.Audiences);
        Assert.Equal(IssuanceMode.AssumeRole, tenant.Issuance.Mode);
        Assert.Equal("acme-7f3c", tenant.Issuance.ExternalId);
        Assert.Equal(["files:read", "files:write"], tenant.Scopes.Select(s => s.Name));
        Assert.Equal(new ClaimRule("cognito:groups", ["editors"]).Claim, tenant.FindScope("files:write")!.GrantedTo!.Claim);
        Assert.Equal(["files:read"], tenant.DefaultScopes!);
        Assert.Equal(["tenant", "subject"], tenant.SessionTags.Select(t => t.Key));
        Assert.Equal("admins", tenant.Permissions.Leases!.AnyOf[0]);
        Assert.Equal(600, tenant.Limits!.RequestsPerMinute);
    }

    [Fact]
    public void A_minimal_document_takes_the_defaults()
    {
        var tenant = Valid("""
            { "status": "suspended",
              "identity": { "issuer": "https://idp.example.com", "audiences": ["app"] },
              "issuance": { "mode": "webIdentity", "roleArn": "arn:aws:iam::123456789012:role/path/to/web" },
              "scopes": { "s": { "statements": [ { "Effect": "Deny", "NotAction": "s3:Get*", "Resource": "*" } ] } } }
            """);

        Assert.Equal("acme", tenant.TenantId);
        Assert.Equal("sub", tenant.Identity.SubjectClaim);
        Assert.Null(tenant.Identity.TenantClaim);
        Assert.Equal((900, 3600), (tenant.Issuance.DefaultDurationSeconds, tenant.Issuance.MaxDurationSeconds));
        Assert.Null(tenant.DefaultScopes);
        Assert.Empty(tenant.SessionTags);
        Assert.Null(tenant.Permissions.Decode);
        Assert.Null(tenant.Limits);
    }

    [Fact]
    public void A_version_from_a_get_is_accepted_and_ignored() =>
        Valid(Edit("version", "7"));

    [Fact]
    public void A_null_outside_statements_counts_as_absent() =>
        Assert.Null(Valid(Edit("displayName", "null")).DisplayName);

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://[::1]:8080/realms/acme")]
    [InlineData("http://localhost:5001")]
    public void Loopback_issuers_are_accepted_only_when_allowed(string issuer)
    {
        var json = Edit("identity/issuer", JsonSerializer.Serialize(issuer));

        Assert.Null(Read(json, loopback: true).Refusal);
        Assert.Equal(Codes.InvalidTenant, Read(json, loopback: false).Refusal?.Code);
    }

    [Fact]
    public void A_remote_http_issuer_is_refused_even_when_loopback_is_allowed() =>
        Assert.Equal(Codes.InvalidTenant, Read(Edit("identity/issuer", "\"http://idp.example.com:8080\""), loopback: true).Refusal?.Code);

    [Fact]
    public void Statements_keep_iam_variables_conditions_and_deny_forms() => WithStatements("""
        [ { "Sid": "Own", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
            "Condition": { "StringLike": { "s3:prefix": ["${aws:PrincipalTag/tenant}/*", "{{tenant}}/{{claim:custom:org}}/*"] },
                           "Bool": { "aws:SecureTransport": true }, "NumericLessThan": { "s3:max-keys": 100 } } },
          { "Effect": "Deny", "NotAction": ["s3:Get*"], "NotResource": "arn:aws:s3:::b/{{tenant}}/*" } ]
        """);

    [Fact]
    public void A_path_tenant_id_that_breaks_the_pattern_is_refused() =>
        Assert.Contains(Read(Edit("tenantId", null), tenantId: "Acme_Corp").Refusal!.Errors!, e => e.Path == "tenantId");

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"acme\"")]
    [InlineData("{\"status\":\"active\",\"status\":\"suspended\"}")]
    [InlineData("{} {}")]
    [InlineData("{\"displayName\":\"\\ud800\"}")]
    [InlineData("{\"\\udc00\":1}")]
    public void A_body_that_is_not_one_json_object_is_an_invalid_request(string body) =>
        Assert.Equal(Codes.InvalidRequest, Read(body).Refusal?.Code);

    [Fact]
    public void A_document_with_many_problems_reports_them_all_at_once()
    {
        var json = Edit("status", "\"paused\"",
            Edit("identity/issuer", "\"http://idp.example.com\"",
            Edit("identity/audiences", "[]",
            Edit("issuance/roleArn", "\"arn:aws:iam::1:role/x\"",
            Edit("issuance/defaultDurationSeconds", "100",
            Edit("scopes/files:read/statements/0/Effect", "\"Permit\"",
            Edit("scopes/files:write/grantedTo/anyOf", "[]",
            Edit("defaultScopes", "[\"files:read\",\"nope\"]",
            Edit("sessionTags/aws:x", "\"{{bogus}}\"",
            Edit("limits/requestsPerMinute", "-1",
            Edit("extra", "1")))))))))));

        var errors = Read(json).Refusal!.Errors!.Select(e => e.Path).ToHashSet();

        Assert.Superset(new HashSet<string>
        {
            "status", "identity.issuer", "identity.audiences", "issuance.roleArn", "issuance.defaultDurationSeconds",
            "scopes.files:read.statements[0].Effect", "scopes.files:write.grantedTo.anyOf", "defaultScopes[1]",
            "sessionTags.aws:x", "limits.requestsPerMinute", "extra",
        }, errors);
    }

    [Fact]
    public void A_sid_used_in_two_scopes_is_refused()
    {
        var json = Edit("scopes/files:write/statements/0/Sid", "\"Files\"", Edit("scopes/files:read/statements/0/Sid", "\"Files\""));

        var error = Assert.Single(Read(json).Refusal!.Errors!);
        Assert.Equal("scopes.files:write.statements[0].Sid", error.Path);
        Assert.Contains("scopes.files:read.statements[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_twenty_statements_in_a_scope_are_refused()
    {
        var statements = string.Join(",", Enumerable.Repeat("""{"Effect":"Deny","Action":"s3:*","Resource":"*"}""", 21));
        var error = Assert.Single(Read(Edit("scopes/files:read/statements", $"[{statements}]")).Refusal!.Errors!);
        Assert.Equal("scopes.files:read.statements", error.Path);
    }

    [Fact]
    public void More_than_fifty_scopes_are_refused()
    {
        var scopes = string.Join(",", Enumerable.Range(0, 51).Select(i => $$"""
            "s{{i}}":{"statements":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}
            """));
        var json = Edit("defaultScopes", null, Edit("scopes", $"{{{scopes}}}"));

        Assert.Contains(Read(json).Refusal!.Errors!, e => e.Path == "scopes" && e.Message.Contains("not 51", StringComparison.Ordinal));
    }

    [Fact]
    public void More_than_fifty_session_tags_are_refused()
    {
        var tags = string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"t{i}\":\"v\""));

        var error = Assert.Single(Read(Edit("sessionTags", $"{{{tags}}}")).Refusal!.Errors!);
        Assert.Equal("sessionTags", error.Path);
    }

    [Fact]
    public void Scopes_that_could_render_past_2048_characters_together_are_named()
    {
        // Each resource renders to about 150 characters at worst: six fit beside the example's scopes, twelve do not.
        var resources = string.Join(",", Enumerable.Repeat("\"arn:aws:s3:::b/{{tenant}}/{{subject}}/*\"", 6));
        var scope = $$"""{"statements":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[{{resources}}]}]}""";
        var json = Edit("scopes/big:b", scope, Edit("scopes/big:a", scope));

        var error = Assert.Single(Read(json).Refusal!.Errors!);
        Assert.Equal("scopes", error.Path);
        Assert.Contains("big:a (", error.Message, StringComparison.Ordinal);
        Assert.Contains("big:b (", error.Message, StringComparison.Ordinal);
        Assert.Contains("too large together", error.Message, StringComparison.Ordinal);
        Assert.Null(Read(Edit("scopes/big:a", scope)).Refusal);
    }
}
