using Amazon.DynamoDBv2;
using Amazon.Runtime;
using CredentialVending.Local.Dynamo;
using CredentialVending.Local.Hosting;

namespace CredentialVending.Tests.TestSupport;

/// <summary>The tenants and leases tables of one test, as template.yaml defines them.</summary>
public sealed record TemplateTableNames(string Tenants, string Leases);

/// <summary>
/// One dynalite (in memory) for the store tests, which make template.yaml's tables afresh for each test: the same keys and
/// indexes `sam deploy` creates, so a condition, a key limit or a cursor behaves as DynamoDB's, and no test sees another's items.
/// </summary>
public sealed class TemplateDynamo : IAsyncLifetime
{
    private Dynalite _dynalite = null!;

    public AmazonDynamoDBClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // docs/gotchas.md: the SDK must never probe the instance metadata address from a test.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        _dynalite = await Dynalite.StartAsync();
        Client = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = _dynalite.Endpoint.ToString() });
    }

    /// <summary>New, empty tables (dynalite creates them at once).</summary>
    public async Task<TemplateTableNames> NewTablesAsync()
    {
        var tables = await TemplateTables.CreateAsync(Client, RepositoryPaths.Template, "t" + Guid.NewGuid().ToString("N")[..10] + "-");
        return new TemplateTableNames(
            tables[TemplateTables.ReferencedBy(RepositoryPaths.Template, "TENANTS_TABLE")!],
            tables[TemplateTables.ReferencedBy(RepositoryPaths.Template, "LEASES_TABLE")!]);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _dynalite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TemplateDynamoCollection : ICollectionFixture<TemplateDynamo>
{
    public const string Name = "dynalite with the template's tables";
}
