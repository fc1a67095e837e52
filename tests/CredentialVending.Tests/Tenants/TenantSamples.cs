using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tenants;

namespace CredentialVending.Tests.Tenants;

/// <summary>docs/api.md's example tenant, and small edits of it, for tests of the reader and of scoping.</summary>
internal static class TenantSamples
{
    public const string Acme = """
        {
          "tenantId": "acme",
          "displayName": "Acme Corp",
          "status": "active",
          "identity": {
            "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf",
            "audiences": ["4kq0example"],
            "subjectClaim": "sub",
            "tenantClaim": "custom:tenant_id"
          },
          "issuance": {
            "mode": "assumeRole",
            "roleArn": "arn:aws:iam::123456789012:role/tenant-acme",
            "externalId": "acme-7f3c",
            "defaultDurationSeconds": 900,
            "maxDurationSeconds": 3600
          },
          "scopes": {
            "files:read": {
              "statements": [
                { "Effect": "Allow", "Action": ["s3:GetObject"],
                  "Resource": ["arn:aws:s3:::acme-data/{{tenant}}/{{subject}}/*"] }
              ]
            },
            "files:write": {
              "statements": [
                { "Effect": "Allow", "Action": ["s3:PutObject"],
                  "Resource": ["arn:aws:s3:::acme-data/{{tenant}}/{{subject}}/*"] }
              ],
              "grantedTo": { "claim": "cognito:groups", "anyOf": ["editors"] }
            }
          },
          "defaultScopes": ["files:read"],
          "sessionTags": { "tenant": "{{tenant}}", "subject": "{{subject}}" },
          "permissions": {
            "decode": { "claim": "cognito:groups", "anyOf": ["admins"] },
            "leases": { "claim": "cognito:groups", "anyOf": ["admins"] }
          },
          "limits": { "requestsPerMinute": 600 }
        }
        """;

    /// <summary>The example as a saml tenant (docs/api.md "SAML tenants"): no bearer issuer, claims from the assertion's attributes.</summary>
    public const string AcmeSaml = """
        {
          "tenantId": "acme",
          "status": "active",
          "identity": {
            "saml": {
              "entityId": "https://idp.acme.example/saml",
              "providerArn": "arn:aws:iam::123456789012:saml-provider/acme-idp",
              "subject": "nameId",
              "attributes": { "http://schemas.xmlsoap.org/claims/Group": "groups", "urn:acme:tenant": "tenant" }
            },
            "tenantClaim": "tenant"
          },
          "issuance": { "mode": "saml", "roleArn": "arn:aws:iam::123456789012:role/tenant-acme" },
          "scopes": {
            "files:read": {
              "statements": [
                { "Effect": "Allow", "Action": ["s3:GetObject"],
                  "Resource": ["arn:aws:s3:::acme-data/{{tenant}}/{{subject}}/*"] }
              ]
            },
            "files:write": {
              "statements": [
                { "Effect": "Allow", "Action": ["s3:PutObject"],
                  "Resource": ["arn:aws:s3:::acme-data/{{tenant}}/shared/{{subject}}/*"] }
              ],
              "grantedTo": { "claim": "groups", "anyOf": ["editors"] }
            }
          },
          "defaultScopes": ["files:read"],
          "permissions": { "decode": { "claim": "groups", "anyOf": ["admins"] } }
        }
        """;

    /// <summary>
    /// The example with one edit at a JSON-pointer-like path ("scopes/files:read/statements/0/Action"):
    /// <paramref name="json"/> is the new value's JSON, or null to remove the member.
    /// </summary>
    public static string Edit(string pointer, string? json, string document = Acme)
    {
        var root = JsonNode.Parse(document)!;
        var segments = pointer.Split('/');
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = int.TryParse(segment, out var i) && parent is JsonArray array ? array[i]! : parent[segment]!;
        }

        var last = segments[^1];
        var value = json is null ? null : JsonNode.Parse(json);
        if (parent is JsonArray items)
        {
            items[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else if (json is null)
        {
            parent.AsObject().Remove(last);
        }
        else
        {
            parent[last] = value;
        }

        return root.ToJsonString();
    }

    /// <summary>The example (or <paramref name="document"/>) as a brokered tenant: no external id, which that mode cannot send.</summary>
    public static string Brokered(string document = Acme) => Edit("issuance/mode", "\"brokered\"", Edit("issuance/externalId", null, document));

    public static Outcome<TenantDocument> Read(string json, string tenantId = "acme", bool loopback = false) =>
        TenantDocumentReader.Read(Encoding.UTF8.GetBytes(json), tenantId, loopback);

    /// <summary>A read as of a stored document: every rule but the onboarding lint.</summary>
    public static Outcome<TenantDocument> ReadStored(string json, string tenantId = "acme") =>
        TenantDocumentReader.ReadStored(Encoding.UTF8.GetBytes(json), tenantId, allowInsecureLoopbackIssuers: false);

    public static TenantDocument Valid(string json = Acme)
    {
        var outcome = Read(json);
        Assert.Null(outcome.Refusal);
        return outcome.Value!;
    }

    /// <summary>
    /// A one-scope tenant whose scope holds the given statements (JSON array text), read as a stored document: the tests
    /// of scoping and of the grammar use statements the onboarding lint would refuse (untied resources, made-up buckets).
    /// </summary>
    public static TenantDocument WithStatements(string statementsJson, string sessionTags = "{}")
    {
        var outcome = ReadStored(Edit("sessionTags", sessionTags, Edit("scopes", $$"""{ "only": { "statements": {{statementsJson}} } }""", Edit("defaultScopes", null))));
        Assert.Null(outcome.Refusal);
        return outcome.Value!;
    }

    public static ClaimSet Claims(string json) => ClaimSet.FromJsonObject(JsonDocument.Parse(json).RootElement);
}
