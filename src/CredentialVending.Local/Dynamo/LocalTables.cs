using Amazon.DynamoDBv2;
using Amazon.Runtime;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Local.Dynamo;

/// <summary>
/// dynalite in memory with the service's two tables as template.yaml defines them: for tests of the stores and the
/// routes in their own process, without the rest of the local cloud.
/// </summary>
public sealed class LocalTables : IAsyncDisposable
{
    private readonly Dynalite _dynalite;

    private LocalTables(Dynalite dynalite, AmazonDynamoDBClient dynamo, string tenantsTable, string leasesTable)
    {
        _dynalite = dynalite;
        Dynamo = dynamo;
        TenantsTable = tenantsTable;
        LeasesTable = leasesTable;
    }

    public AmazonDynamoDBClient Dynamo { get; }
    public string TenantsTable { get; }
    public string LeasesTable { get; }

    public static async Task<LocalTables> StartAsync(CancellationToken cancellationToken = default)
    {
        var dynalite = await Dynalite.StartAsync(dataPath: null, cancellationToken).ConfigureAwait(false);
        var dynamo = Client(dynalite.Endpoint);
        var (tenants, leases) = await CreateAsync(dynamo, string.Empty, cancellationToken).ConfigureAwait(false);
        return new LocalTables(dynalite, dynamo, tenants, leases);
    }

    /// <summary>A client of a local DynamoDB, with the dummy credentials dynalite takes.</summary>
    public static AmazonDynamoDBClient Client(Uri endpoint) =>
        new(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString() });

    /// <summary>Creates the template's tables under <paramref name="prefix"/>; answers the names TENANTS_TABLE and LEASES_TABLE get.</summary>
    public static async Task<(string TenantsTable, string LeasesTable)> CreateAsync(IAmazonDynamoDB dynamo, string prefix, CancellationToken cancellationToken)
    {
        var tables = await TemplateTables.CreateAsync(dynamo, RepositoryPaths.Template, prefix, cancellationToken).ConfigureAwait(false);
        return (tables[TemplateTables.ReferencedBy(RepositoryPaths.Template, "TENANTS_TABLE")!], tables[TemplateTables.ReferencedBy(RepositoryPaths.Template, "LEASES_TABLE")!]);
    }

    public async ValueTask DisposeAsync()
    {
        Dynamo.Dispose();
        await _dynalite.DisposeAsync().ConfigureAwait(false);
    }
}
