using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Iam;

/// <summary>moto's server for the whole class: starting it takes seconds.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    public MotoServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await MotoServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The IAM client's wire format against moto's IAM (which checks no signature, and no size limit).</summary>
public sealed class IamClientOnMotoTests(MotoFixture moto) : IamClientContract, IClassFixture<MotoFixture>
{
    protected override Uri Endpoint => moto.Server.Endpoint;

    protected override async Task<string> CreateRoleAsync()
    {
        var name = "tenant-" + Guid.NewGuid().ToString("N")[..12];

        // moto sends a request to the service its Authorization header's scope names, and checks no signature.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Action"] = "CreateRole",
                ["Version"] = "2010-05-08",
                ["RoleName"] = name,
                ["AssumeRolePolicyDocument"] = """{"Version":"2012-10-17","Statement":[]}""",
            }),
        };
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={Key.GetCredentials().AccessKey}/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature={new string('0', 64)}");
        using var answer = await http.SendAsync(request);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        return name;
    }
}
