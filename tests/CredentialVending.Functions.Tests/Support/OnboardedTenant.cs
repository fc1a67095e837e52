using CredentialVending.Local.Dynamo;
using CredentialVending.Local.Oidc;
using CredentialVending.Tenants;

namespace CredentialVending.Functions.Tests.Support;

/// <summary>
/// dynalite with the template's tables, a development issuer, and tenant <c>acme</c> onboarded on it: its <c>decode</c>
/// permission goes to the <c>groups</c> claim's <c>support</c>, its <c>leases</c> to <c>auditors</c>.
/// </summary>
public sealed class OnboardedTenant : IAsyncLifetime
{
    public LocalTables Tables { get; private set; } = null!;
    public DevelopmentIssuer Issuer { get; private set; } = null!;

    public Functions.Hosting.FunctionServices Services() => new(
        HostRun.Configuration with { TenantsTable = Tables.TenantsTable, LeasesTable = Tables.LeasesTable }, TimeProvider.System, Tables.Dynamo);

    public string Token(params string[] groups) => Issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = new Dictionary<string, object> { ["groups"] = groups } });

    public async Task InitializeAsync()
    {
        Tables = await LocalTables.StartAsync();
        Issuer = await DevelopmentIssuer.StartAsync(new DevelopmentIssuerOptions());
        var administration = new TenantAdministration(new TenantStore(Tables.Dynamo, Tables.TenantsTable), roleArnPattern: null, allowInsecureLoopbackIssuers: true, TimeProvider.System);
        var put = await administration.PutAsync("acme", System.Text.Encoding.UTF8.GetBytes(Document(Issuer.Issuer)), ifMatch: null, CancellationToken.None);
        Assert.False(put.IsRefused, put.Refusal?.Detail);
    }

    public async Task DisposeAsync()
    {
        await Issuer.DisposeAsync();
        await Tables.DisposeAsync();
    }

    private static string Document(string issuer) => $$"""
        {
          "tenantId": "acme",
          "status": "active",
          "identity": { "issuer": "{{issuer}}", "audiences": ["credvend-local"], "subjectClaim": "sub" },
          "issuance": { "mode": "assumeRole", "roleArn": "arn:aws:iam::123456789012:role/tenant-acme" },
          "scopes": {
            "files:read": { "statements": [ { "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::acme-data/{{"{{tenant}}"}}/*"] } ] }
          },
          "defaultScopes": ["files:read"],
          "permissions": {
            "decode": { "claim": "groups", "anyOf": ["support"] },
            "leases": { "claim": "groups", "anyOf": ["auditors"] }
          }
        }
        """;
}
