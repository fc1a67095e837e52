using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using CredentialVending.Tenants;
using CredentialVending.Tenants.Lint;
using CredentialVending.Vending;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Tenants.Lint;

/// <summary>
/// A tenant stored before the lint grew stricter keeps working: the vend path reads it without the lint, and the lint's
/// findings (what preview answers as warnings) are the ones PUT would now refuse it with.
/// </summary>
public sealed class StoredTenantLintTests
{
    /// <summary>The hostile corpus, but for documents a rule older than the lint refuses (no stored tenant can hold those).</summary>
    public static TheoryData<string, string, string, string> Leaks()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var row in HostileDocumentTests.Leaks)
        {
            if (!ReadStored((string)row[1]).IsRefused)
            {
                data.Add((string)row[0], (string)row[1], (string)row[2], (string)row[3]);
            }
        }

        Assert.True(data.Count() > 40, $"only {data.Count()} hostile documents read as stored ones");
        return data;
    }

    [Theory]
    [MemberData(nameof(Leaks))]
    public async Task A_stored_document_the_lint_now_refuses_still_loads_and_plans_and_the_lint_says_what_put_says(string leak, string json, string path, string message)
    {
        var directory = new TenantDirectory(new TenantStore(new OneItemDynamo("acme", json), "tenants"), allowInsecureLoopbackIssuers: false);

        var tenant = await directory.LoadAsync("acme", CancellationToken.None);

        Assert.False(tenant.IsRefused, leak);
        var plan = SessionPlanner.Plan(tenant.Value!, "alice", Claims("""{"sub":"alice","org":"eng","custom:tenant_id":"acme","region":"us-east-1","acct":"123456789012","x:y":"1","tag":"team"}"""), null, null);
        Assert.False(plan.IsRefused, $"{leak}: {plan.Refusal?.Detail}");
        var findings = TenantLint.Check(tenant.Value!);
        Assert.Contains(findings, f => f.Path == path && f.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(Read(json).Refusal!.Errors!.ToHashSet(), findings.ToHashSet());
    }

    /// <summary>A tenants table holding one stored document, as the admin function writes it: no network, no lint.</summary>
    private sealed class OneItemDynamo(string tenantId, string json)
        : AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9" })
    {
        public override Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GetItemResponse
            {
                Item = request.Key["tenantId"].S == tenantId
                    ? new Dictionary<string, AttributeValue> { ["tenantId"] = new() { S = tenantId }, ["document"] = new() { S = json }, ["version"] = new() { N = "1" } }
                    : [],
            });
    }
}
