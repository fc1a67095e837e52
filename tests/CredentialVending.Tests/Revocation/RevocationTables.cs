using Amazon.DynamoDBv2;
using Amazon.Runtime;
using CredentialVending.Local.Dynamo;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Tests.Revocation;

/// <summary>dynalite with the template's tables, shared by a test class: DynamoDB's own conditional writes, not a fake's.</summary>
public sealed class RevocationTables : IAsyncLifetime
{
    private Dynalite? _dynalite;

    public IAmazonDynamoDB Dynamo { get; private set; } = null!;
    public string Tenants { get; private set; } = string.Empty;
    public string Leases { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _dynalite = await Dynalite.StartAsync();
        Dynamo = new AmazonDynamoDBClient(new BasicAWSCredentials("AKIALOCAL", "local"), new AmazonDynamoDBConfig { ServiceURL = _dynalite.Endpoint.ToString(), MaxErrorRetry = 0 });
        var tables = await TemplateTables.CreateAsync(Dynamo, RepositoryPaths.Template, "revocation-");
        (Tenants, Leases) = (tables["TenantsTable"], tables["LeasesTable"]);
    }

    public async Task DisposeAsync()
    {
        Dynamo.Dispose();
        if (_dynalite is not null)
        {
            await _dynalite.DisposeAsync();
        }
    }
}
