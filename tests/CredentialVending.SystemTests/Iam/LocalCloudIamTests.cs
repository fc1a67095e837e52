using Amazon.Runtime;
using CredentialVending.Local.Hosting;
using CredentialVending.Revocation.Iam;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Iam;

/// <summary>The local cloud's IAM, as the functions find it: through their AWS_ENDPOINT_URL_IAM, with their own key.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class LocalCloudIamTests(LocalCloud cloud)
{
    private const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2026-12-01T00:00:00Z"}}}]}""";

    [Fact]
    public async Task The_role_of_a_tenant_onboarded_in_the_local_cloud_takes_a_revocation_policy()
    {
        var tenantId = await cloud.OnboardAsync();
        var client = FunctionsClient();

        await client.PutAsync($"tenant-{tenantId}", "credential-vending-revocations", Document, CancellationToken.None);

        Assert.Equal(Document, await client.GetAsync($"tenant-{tenantId}", "credential-vending-revocations", CancellationToken.None));
        Assert.Equal(Document, cloud.Host.Iam!.RolePolicy($"tenant-{tenantId}", "credential-vending-revocations"));
    }

    [Fact]
    public async Task The_demo_tenant_s_role_exists_in_the_local_cloud_s_iam()
    {
        var role = DemoTenant.RoleArn[(DemoTenant.RoleArn.LastIndexOf('/') + 1)..];
        var client = FunctionsClient();

        await client.PutAsync(role, "credential-vending-test", Document, CancellationToken.None);
        await client.DeleteAsync(role, "credential-vending-test", CancellationToken.None);

        Assert.Null(await client.GetAsync(role, "credential-vending-test", CancellationToken.None));
    }

    // Exactly what a function is given: its environment's endpoint and keys.
    private IamQueryClient FunctionsClient()
    {
        var env = cloud.Host.FunctionEnvironment();
        var options = IamClientOptions.FromEnvironment(env["AWS_ENDPOINT_URL_IAM"]);
        Assert.False(options.IsRefused);
        return new IamQueryClient(new HttpClient(), new BasicAWSCredentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]), options.Value!, TimeProvider.System);
    }
}
