using System.Text;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using CredentialVending.Local.Dynamo;
using CredentialVending.Local.Oidc;
using CredentialVending.Tenants;

namespace CredentialVending.Tests.TestSupport;

/// <summary>
/// dynalite with the template's tables and a development issuer, shared by the tests of the stores' services
/// (one node process for them all). <see cref="Document"/> is a tenant on that issuer; each test onboards its own id.
/// </summary>
public sealed class LocalTablesFixture : IAsyncLifetime
{
    public LocalTables Tables { get; private set; } = null!;
    public DevelopmentIssuer Issuer { get; private set; } = null!;

    public TenantStore Tenants => new(Tables.Dynamo, Tables.TenantsTable);

    public TenantAdministration Administration() => new(Tenants, roleArnPattern: null, allowInsecureLoopbackIssuers: true, TimeProvider.System);

    /// <summary>A DynamoDB client nothing answers: every call fails as an unreachable DynamoDB does, at once.</summary>
    public static AmazonDynamoDBClient Unreachable() => new(
        new BasicAWSCredentials("local", "local"),
        new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(1) });

    /// <summary>A token of <paramref name="tenantId"/>'s caller alice, in <paramref name="groups"/>.</summary>
    public string Token(string tenantId, params string[] groups) => Issuer.IssueToken(new TokenRequest
    {
        Subject = "alice",
        Claims = new Dictionary<string, object> { ["tenant"] = tenantId, ["groups"] = groups },
    });

    public static string NewTenantId() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A tenant on <see cref="Issuer"/>, named by its tokens' <c>tenant</c> claim, whose <c>decode</c> permission goes to the <c>groups</c> claim's <c>support</c>.</summary>
    public string Document(string tenantId, string status = "active", string mode = "assumeRole", string limits = "") => $$"""
        {
          "tenantId": "{{tenantId}}",
          "displayName": "Tenant {{tenantId}}",
          "status": "{{status}}",
          "identity": { "issuer": "{{Issuer.Issuer}}", "audiences": ["credvend-local"], "subjectClaim": "sub", "tenantClaim": "tenant" },
          "issuance": { "mode": "{{mode}}", "roleArn": "arn:aws:iam::123456789012:role/tenant-{{tenantId}}" },
          "scopes": {
            "files:read": { "statements": [ { "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::data/{{"{{tenant}}"}}/*"] } ] }
          },
          "defaultScopes": ["files:read"],
          "permissions": { "decode": { "claim": "groups", "anyOf": ["support"] } }{{limits}}
        }
        """;

    /// <summary>Onboards <paramref name="json"/> as PUT does, and answers the document as stored.</summary>
    public async Task<TenantDocument> OnboardAsync(string tenantId, string json)
    {
        var put = await Administration().PutAsync(tenantId, Encoding.UTF8.GetBytes(json), ifMatch: null, CancellationToken.None);
        Assert.False(put.IsRefused, put.Refusal?.Detail);
        return TenantDocumentReader.ReadStored(Encoding.UTF8.GetBytes(put.Value.Stored.Json), tenantId, allowInsecureLoopbackIssuers: true).Value!;
    }

    public async Task InitializeAsync()
    {
        Amazon.AWSConfigs.AWSRegion ??= "us-east-1";
        Tables = await LocalTables.StartAsync();
        Issuer = await DevelopmentIssuer.StartAsync(new DevelopmentIssuerOptions());
    }

    public async Task DisposeAsync()
    {
        await Issuer.DisposeAsync();
        await Tables.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalTablesCollection : ICollectionFixture<LocalTablesFixture>
{
    public const string Name = "local tables";
}
