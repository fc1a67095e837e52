using CredentialVending.Common;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Tenants;

/// <summary>docs/api.md's rules, one broken at a time: each edit of the example must produce the error named, among any others.</summary>
public class TenantDocumentReaderRuleTests
{
    private const string Read0 = "scopes/files:read/statements/0";
    private const string ReadPath = "scopes.files:read.statements[0]";

    [Theory]
    // tenant id, status, display name, unknown fields
    [InlineData("tenantId", "\"other\"", "tenantId", "names another tenant than the path")]
    [InlineData("tenantId", "7", "tenantId", "names another tenant than the path")]
    [InlineData("status", "\"paused\"", "status", "must be active or suspended")]
    [InlineData("status", null, "status", "is required")]
    [InlineData("displayName", "5", "displayName", "must be a string")]
    [InlineData("owner", "\"me\"", "owner", "unknown field")]
    // identity
    [InlineData("identity", null, "identity", "is required")]
    [InlineData("identity", "[]", "identity", "must be an object")]
    [InlineData("identity/issuer", null, "identity.issuer", "is required")]
    [InlineData("identity/issuer", "\"http://idp.example.com\"", "identity.issuer", "must be https")]
    [InlineData("identity/issuer", "\"http://127.0.0.1:8080\"", "identity.issuer", "must be https")]
    [InlineData("identity/issuer", "\"ftp://idp.example.com\"", "identity.issuer", "must be https")]
    [InlineData("identity/issuer", "\"idp.example.com\"", "identity.issuer", "is not an absolute URL")]
    [InlineData("identity/issuer", "\"https://idp.example.com/?tenant=1\"", "identity.issuer", "must not carry a query")]
    [InlineData("identity/audiences", "[]", "identity.audiences", "must be a non-empty array of strings")]
    [InlineData("identity/audiences", "\"4kq0example\"", "identity.audiences", "must be a non-empty array of strings")]
    [InlineData("identity/audiences", "[\"\"]", "identity.audiences[0]", "must be 1 to")]
    [InlineData("identity/subjectClaim", "5", "identity.subjectClaim", "must be a string")]
    [InlineData("identity/tenantClaim", "\"\"", "identity.tenantClaim", "must be 1 to")]
    [InlineData("identity/jwks", "\"https://x\"", "identity.jwks", "unknown field")]
    // issuance
    [InlineData("issuance/mode", "\"assume\"", "issuance.mode", "must be assumeRole, webIdentity, saml or brokered")]
    [InlineData("issuance/roleArn", "\"arn:aws:iam::12345:role/x\"", "issuance.roleArn", "must be arn:aws:iam::<12 digits>:role/")]
    [InlineData("issuance/roleArn", "\"arn:aws:iam::123456789012:user/x\"", "issuance.roleArn", "must be arn:aws:iam::<12 digits>:role/")]
    [InlineData("issuance/roleArn", "\"arn:aws:iam::123456789012:role/a b\"", "issuance.roleArn", "must be arn:aws:iam::<12 digits>:role/")]
    [InlineData("issuance/externalId", "\"a\"", "issuance.externalId", "must be 2 to 1224")]
    [InlineData("issuance/externalId", "\"has space\"", "issuance.externalId", "must be 2 to 1224")]
    [InlineData("issuance/mode", "\"webIdentity\"", "issuance.externalId", "has no effect in webIdentity mode")]
    [InlineData("issuance/mode", "\"webIdentity\"", "sessionTags", "has no effect in webIdentity mode")]
    [InlineData("identity/saml", "{\"entityId\":\"e\",\"providerArn\":\"arn:aws:iam::123456789012:saml-provider/p\"}", "identity.saml", "is read only in saml mode")]
    [InlineData("issuance/mode", "\"brokered\"", "issuance.externalId", "has no effect in brokered mode")]
    [InlineData("issuance/defaultDurationSeconds", "899", "issuance.defaultDurationSeconds", "must be between 900 and 43200")]
    [InlineData("issuance/maxDurationSeconds", "43201", "issuance.maxDurationSeconds", "must be between 900 and 43200")]
    [InlineData("issuance/defaultDurationSeconds", "7200", "issuance.defaultDurationSeconds", "must not exceed maxDurationSeconds (3600)")]
    [InlineData("issuance/defaultDurationSeconds", "900.5", "issuance.defaultDurationSeconds", "must be a whole number")]
    [InlineData("issuance/maxDurationSeconds", "\"3600\"", "issuance.maxDurationSeconds", "must be a whole number")]
    [InlineData("issuance/region", "\"us-east-1\"", "issuance.region", "unknown field")]
    // scopes
    [InlineData("scopes", null, "scopes", "is required")]
    [InlineData("scopes", "{}", "scopes", "must hold 1 to 50 scopes")]
    [InlineData("scopes", "[]", "scopes", "must be an object of scope names to scopes")]
    [InlineData("scopes/bad name", "{\"statements\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", "scopes.bad name", "is not a valid scope name")]
    [InlineData("scopes/files:read", "[]", "scopes.files:read", "must be an object")]
    [InlineData("scopes/files:read/statement", "[]", "scopes.files:read.statement", "unknown field")]
    [InlineData("scopes/files:read/statements", "[]", "scopes.files:read.statements", "must be an array of 1 to 20 statements")]
    [InlineData("scopes/files:read/statements", null, "scopes.files:read.statements", "is required")]
    [InlineData("scopes/files:read/shared", "\"yes\"", "scopes.files:read.shared", "must be true or false")]
    [InlineData("scopes/files:write/grantedTo", "{\"claim\":\"groups\"}", "scopes.files:write.grantedTo.anyOf", "is required")]
    [InlineData("scopes/files:write/grantedTo", "{\"claim\":\"g\",\"anyOf\":[\"a\"],\"allOf\":[]}", "scopes.files:write.grantedTo.allOf", "unknown field")]
    [InlineData("scopes/files:write/grantedTo/anyOf", "[]", "scopes.files:write.grantedTo.anyOf", "must be a non-empty array of strings")]
    // statements
    [InlineData(Read0, "\"s3:GetObject\"", ReadPath, "must be an object")]
    [InlineData(Read0 + "/Effect", "\"allow\"", ReadPath + ".Effect", "must be Allow or Deny")]
    [InlineData(Read0 + "/Effect", null, ReadPath + ".Effect", "is required")]
    [InlineData(Read0 + "/Action", null, ReadPath + ".Action", "is required")]
    [InlineData(Read0 + "/Action", "[]", ReadPath + ".Action", "must be a string or a non-empty array of strings")]
    [InlineData(Read0 + "/Action", "[1]", ReadPath + ".Action[0]", "must be a string")]
    [InlineData(Read0 + "/Action", "\"\"", ReadPath + ".Action", "must not be empty")]
    [InlineData(Read0 + "/Resource", null, ReadPath + ".Resource", "is required")]
    [InlineData(Read0 + "/Resource", "{}", ReadPath + ".Resource", "must be a string or a non-empty array of strings")]
    [InlineData(Read0 + "/Resource", "[\"arn:aws:s3:::b/{{tenantId}}/*\"]", ReadPath + ".Resource[0]", "unknown template variable")]
    [InlineData(Read0 + "/Resource", "[\"arn:aws:s3:::b/{{claim:}}/*\"]", ReadPath + ".Resource[0]", "unknown template variable")]
    [InlineData(Read0 + "/Resource", "[\"arn:aws:s3:::b/{{ tenant }}/*\"]", ReadPath + ".Resource[0]", "unknown template variable")]
    [InlineData(Read0 + "/Resource", "\"arn:aws:s3:::b/{{tenant/*\"", ReadPath + ".Resource", "without its closing }}")]
    [InlineData(Read0 + "/NotResource", "\"*\"", ReadPath + ".NotResource", "cannot stand beside Resource")]
    [InlineData(Read0 + "/Principal", "\"*\"", ReadPath + ".Principal", "unknown field")]
    [InlineData(Read0 + "/Sid", "\"read-files\"", ReadPath + ".Sid", "must be letters and digits only")]
    [InlineData(Read0 + "/Sid", "null", ReadPath + ".Sid", "must not be null")]
    [InlineData(Read0 + "/Condition", "{}", ReadPath + ".Condition", "must be an object of condition operators")]
    [InlineData(Read0 + "/Condition", "{\"StringLike\":\"x\"}", ReadPath + ".Condition.StringLike", "must be an object of condition keys to values")]
    [InlineData(Read0 + "/Condition", "{\"String Like\":{\"s3:prefix\":\"x\"}}", ReadPath + ".Condition.String Like", "is not a condition operator")]
    [InlineData(Read0 + "/Condition", "{\"StringLike\":{\"s3:prefix\":null}}", ReadPath + ".Condition.StringLike.s3:prefix", "must be a string, a number, a boolean")]
    [InlineData(Read0 + "/Condition", "{\"StringLike\":{\"s3:prefix\":[]}}", ReadPath + ".Condition.StringLike.s3:prefix", "must hold at least one value")]
    [InlineData(Read0 + "/Condition", "{\"StringLike\":{\"s3:prefix\":[\"a\",{}]}}", ReadPath + ".Condition.StringLike.s3:prefix[1]", "must be a string, a number, a boolean")]
    [InlineData(Read0 + "/Condition", "{\"StringLike\":{\"s3:prefix\":\"{{who}}/*\"}}", ReadPath + ".Condition.StringLike.s3:prefix", "unknown template variable")]
    [InlineData(Read0 + "/Condition", "{\"StringLike\":{\"aws:ResourceTag/{{tenant}}\":\"x\"}}", ReadPath + ".Condition.StringLike.aws:ResourceTag/{{tenant}}", "template variables stand only in values")]
    // default scopes
    [InlineData("defaultScopes", "[]", "defaultScopes", "must be a non-empty array of strings")]
    [InlineData("defaultScopes", "[\"files:read\",\"files:delete\"]", "defaultScopes[1]", "names no scope of this document")]
    [InlineData("defaultScopes", "[\"files:read\",\"files:read\"]", "defaultScopes[1]", "names a scope already named")]
    [InlineData("defaultScopes", "\"files:read\"", "defaultScopes", "must be a non-empty array of strings")]
    // session tags
    [InlineData("sessionTags", "[]", "sessionTags", "must be an object")]
    [InlineData("sessionTags/aws:tenant", "\"x\"", "sessionTags.aws:tenant", "uses the aws: prefix, which AWS reserves")]
    [InlineData("sessionTags/a,b", "\"x\"", "sessionTags.a,b", "is not a tag key")]
    [InlineData("sessionTags/Tenant", "\"x\"", "sessionTags.Tenant", "differs from another tag key only in case")]
    [InlineData("sessionTags/team", "5", "sessionTags.team", "must be a string")]
    [InlineData("sessionTags/team", "\"a,b\"", "sessionTags.team", "has characters STS refuses in a tag value")]
    [InlineData("sessionTags/team", "\"{{team}}\"", "sessionTags.team", "unknown template variable")]
    [InlineData("sessionTags/team", "\"{{subject}}{{subject}}{{subject}}{{subject}}!\"", "sessionTags.team", "has characters STS refuses")]
    [InlineData("sessionTags/team", "\"{{subject}}{{subject}}{{subject}}{{subject}}x\"", "sessionTags.team", "can render to 257 characters")]
    // permissions and limits
    [InlineData("permissions/admin", "{\"claim\":\"g\",\"anyOf\":[\"a\"]}", "permissions.admin", "unknown field")]
    [InlineData("permissions/decode/claim", "\"\"", "permissions.decode.claim", "must be 1 to")]
    [InlineData("permissions/decode/anyOf", "[\"\"]", "permissions.decode.anyOf[0]", "must be 1 to")]
    [InlineData("permissions/leases", "true", "permissions.leases", "must be an object")]
    [InlineData("limits/requestsPerMinute", "0", "limits.requestsPerMinute", "must be a positive whole number")]
    [InlineData("limits/requestsPerMinute", "\"600\"", "limits.requestsPerMinute", "must be a whole number")]
    [InlineData("limits/burst", "10", "limits.burst", "unknown field")]
    public void A_broken_rule_is_reported_at_its_path(string pointer, string? json, string path, string message)
    {
        var outcome = Read(Edit(pointer, json));

        Assert.Equal(Codes.InvalidTenant, outcome.Refusal?.Code);
        Assert.Contains(outcome.Refusal!.Errors!, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }
}
