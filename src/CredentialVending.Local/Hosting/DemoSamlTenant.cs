using System.Text.Json.Nodes;
using CredentialVending.Local.Saml;

namespace CredentialVending.Local.Hosting;

/// <summary>
/// The demo SAML tenant the run command onboards beside <see cref="DemoTenant"/>: its people sign in at the development
/// SAML identity provider (<c>GET /_local/saml</c>), whose <c>tenant</c> and <c>groups</c> attributes become the claims
/// that scopes and permissions read, as in the OIDC demo. Its operator routes (leases, decode, revoke) take bearer
/// tokens of the development issuer, the optional bearer issuer of a saml tenant.
/// </summary>
public static class DemoSamlTenant
{
    public const string TenantId = "demo-saml";

    /// <summary>The role <see cref="DevelopmentSamlProvider.DefaultRoleFor"/> names for this tenant, so <c>/_local/saml?tenant=demo-saml</c> needs no <c>role=</c>.</summary>
    public const string RoleArn = "arn:aws:iam::123456789012:role/tenant-demo-saml";

    public static JsonObject Document(string issuer) => new()
    {
        ["tenantId"] = TenantId,
        ["displayName"] = "Demo SAML tenant (local run)",
        ["status"] = "active",
        ["identity"] = new JsonObject
        {
            ["saml"] = new JsonObject
            {
                ["entityId"] = DevelopmentSamlProvider.DefaultEntityId,
                ["providerArn"] = DevelopmentSamlProvider.ArnFor("123456789012"),
                ["subject"] = "nameId",
                ["attributes"] = new JsonObject { ["tenant"] = "tenant", ["groups"] = "groups" },
            },
            ["tenantClaim"] = "tenant",
            ["issuer"] = issuer,
            ["audiences"] = new JsonArray("credvend-local"),
        },
        ["issuance"] = new JsonObject { ["mode"] = "saml", ["roleArn"] = RoleArn },
        ["scopes"] = new JsonObject
        {
            ["files:read"] = DemoTenant.Scope("s3:GetObject", grantedTo: null),
            ["files:write"] = DemoTenant.Scope("s3:PutObject", grantedTo: "editors"),
        },
        ["defaultScopes"] = new JsonArray("files:read"),
        ["permissions"] = new JsonObject { ["decode"] = DemoTenant.Groups("admins"), ["leases"] = DemoTenant.Groups("admins"), ["revoke"] = DemoTenant.Groups("admins") },
    };

    /// <summary>GET first and PUT only when missing, as <see cref="DemoTenant.EnsureAsync(HttpClient, string, CancellationToken)"/> does.</summary>
    public static Task<string> EnsureAsync(HttpClient admin, string issuer, CancellationToken cancellationToken) =>
        DemoTenant.EnsureAsync(admin, TenantId, Document(issuer), issuer, cancellationToken);
}
