using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Lambda;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// DynamoDB answering something nobody can read (HTML, cut JSON, an unknown error, a proxy's 502, an item that is no
/// lease), through a proxy in front of dynalite: 503 <c>unavailable</c>, never a 500, no credentials without a lease,
/// and the log names the failure's type and code, never the answer's text.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class DynamoGarbleTests(LocalCloud cloud)
{
    public static TheoryData<string, DynamoGarble> Garbled
    {
        get
        {
            var data = new TheoryData<string, DynamoGarble>();
            foreach (var garble in new[] { DynamoGarble.Html, DynamoGarble.TruncatedJson, DynamoGarble.UnknownError, DynamoGarble.BadGateway })
            {
                data.Add("GetItem", garble);
                data.Add("PutItem", garble);
                data.Add("Query", garble);
            }

            data.Add("Query", DynamoGarble.UnreadableItem);
            return data;
        }
    }

    [Fact]
    public async Task Through_the_proxy_without_a_fault_a_vend_is_issued_and_recorded()
    {
        var tenant = await cloud.OnboardAsync();
        await using var proxy = await DynamoFaultProxy.StartAsync(cloud.Host.DynamoEndpoint!);
        var environment = cloud.FunctionEnvironment();
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = proxy.Endpoint.ToString();
        await using var function = await cloud.StartAsync("vend", environment);

        var result = await function.InvokeAsync(HttpApiEvent.Create(
            Requests.Vend(tenant, cloud.Token(tenant)) with { RouteKey = "POST /v1/tenants/{tenantId}/credentials", PathParameters = new Dictionary<string, string> { ["tenantId"] = tenant } },
            DateTimeOffset.UtcNow));

        var answer = Answer.Parse(result.Response!);
        Assert.True(answer.Status == 200, answer.ToString());
        await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
    }

    [Theory]
    [MemberData(nameof(Garbled))]
    public async Task A_garbled_dynamodb_answer_is_503_unavailable_and_no_credentials_leave_unrecorded(string operation, DynamoGarble garble)
    {
        var tenant = await cloud.OnboardAsync();
        await using var proxy = await DynamoFaultProxy.StartAsync(cloud.Host.DynamoEndpoint!);
        var environment = cloud.FunctionEnvironment();
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = proxy.Endpoint.ToString();

        // Query is the leases route's read; GetItem (the tenant) and PutItem (the lease) are the vend's.
        var (handler, request, key) = operation == "Query"
            ? ("leases", new HttpApiRequest { Method = "GET", Path = $"/v1/tenants/{tenant}/leases", Headers = [new("Authorization", "Bearer " + cloud.Token(tenant, "ops", ["admins"]))] }, "GET /v1/tenants/{tenantId}/leases")
            : ("vend", Requests.Vend(tenant, cloud.Token(tenant)), "POST /v1/tenants/{tenantId}/credentials");
        await using var function = await cloud.StartAsync(handler, environment);
        proxy.Fault = (operation, garble);
        var before = cloud.Logs.Count;

        var result = await function.InvokeAsync(HttpApiEvent.Create(
            request with { RouteKey = key, PathParameters = new Dictionary<string, string> { ["tenantId"] = tenant } }, DateTimeOffset.UtcNow));

        Assert.True(result.Succeeded, $"{result.ErrorType} {result.ErrorBody}");
        var answer = Answer.Parse(result.Response!);
        Assert.True(answer.Status == 503 && answer.Code == "unavailable", $"{operation} {garble}: {answer}");
        Assert.True(proxy.Garbled >= 1, "the garbled operation was reached");
        Assert.NotNull(answer.Header("retry-after"));
        Assert.DoesNotContain("ASIA", answer.RawResponse, StringComparison.Ordinal);
        Assert.Empty(await cloud.LeaseItemsAsync(tenant));
        var logs = cloud.Logs.Skip(before).ToArray();
        Assert.Contains(logs, l => l.Contains("\"causeType\":", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(DynamoFaultProxy.UnknownErrorMessage, StringComparison.Ordinal) || l.Contains("sign in", StringComparison.Ordinal));
    }
}
