using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using CredentialVending.Common;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Common;

/// <summary>
/// The functions' DynamoDB and STS clients run the SDK's pipeline without the stages they never use, and keep every
/// stage that signs, finds the endpoint, retries, maps errors and reads answers; against dynalite a lean client still
/// writes, reads, and refuses a failed condition with the SDK's own exception. (STS's lean client is the one every
/// StsCredentialIssuer test goes through: its retries, failover and error mapping are held there.)
/// </summary>
[Collection(LocalTablesCollection.Name)]
public sealed class LeanPipelineTests(LocalTablesFixture local)
{
    public static TheoryData<string> Kept => ["HttpHandler`1", "Unmarshaller", "ErrorHandler", "Signer", "RetryHandler", "Marshaller"];

    public static TheoryData<string> Removed => ["EndpointDiscoveryHandler", "CallbackHandler", "ErrorCallbackHandler", "MetricsHandler", "ChecksumHandler", "CompressionHandler"];

    [Theory]
    [MemberData(nameof(Kept))]
    public void Both_lean_clients_keep_the_stage(string stage)
    {
        using var dynamo = Dynamo();
        using var sts = Sts();

        Assert.Contains(stage, dynamo.Stages);
        Assert.Contains(stage, sts.Stages);
    }

    [Theory]
    [MemberData(nameof(Removed))]
    public void Neither_lean_client_runs_the_stage(string stage)
    {
        using var dynamo = Dynamo();
        using var sts = Sts();

        Assert.DoesNotContain(stage, dynamo.Stages);
        Assert.DoesNotContain(stage, sts.Stages);
    }

    [Fact]
    public async Task A_lean_client_writes_and_reads_back_and_a_failed_condition_is_the_sdks_own_exception()
    {
        using var dynamo = Dynamo();
        var key = new Dictionary<string, AttributeValue> { ["tenantId"] = new("lean-" + Guid.NewGuid().ToString("N")) };
        var put = new PutItemRequest
        {
            TableName = local.Tables.TenantsTable,
            Item = new(key) { ["status"] = new("active") },
            ConditionExpression = "attribute_not_exists(tenantId)",
        };

        await dynamo.PutItemAsync(put);
        var read = await dynamo.GetItemAsync(new GetItemRequest { TableName = local.Tables.TenantsTable, Key = key, ConsistentRead = true });

        Assert.Equal("active", read.Item["status"].S);
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => dynamo.PutItemAsync(put));
    }

    private LeanDynamoDBClient Dynamo() =>
        new(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = Endpoint(), MaxErrorRetry = 0 });

    private static LeanStsClient Sts() =>
        new(new BasicAWSCredentials("local", "local"), new AmazonSecurityTokenServiceConfig { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "us-east-1" });

    private string Endpoint() => local.Tables.Dynamo.Config.ServiceURL;
}
