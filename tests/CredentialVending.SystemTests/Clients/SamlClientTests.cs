using System.Text;
using System.Text.Json.Nodes;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Saml;
using CredentialVending.Local.Sts;
using CredentialVending.SystemTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// Real tools on the SAML path, with no bootstrap: botocore's <c>assume_role_with_saml</c> against the STS emulator
/// (its wire format held against the AWS SDK's own parser), and examples/credential-process sending a SAML response.
/// </summary>
public sealed class SamlClientTests : IAsyncLifetime
{
    private const string Role = "arn:aws:iam::123456789012:role/tenant-acme";
    private const string Botocore = """
        import boto3, botocore.exceptions, json, os, sys
        sts = boto3.client('sts', endpoint_url=sys.argv[1], region_name='us-east-1')
        try:
            r = sts.assume_role_with_saml(RoleArn=sys.argv[2], PrincipalArn=sys.argv[3], SAMLAssertion=os.environ['SAML'], DurationSeconds=900)
            print(json.dumps({'Subject': r['Subject'], 'SubjectType': r['SubjectType'], 'Issuer': r['Issuer'], 'Audience': r['Audience'],
                'NameQualifier': r['NameQualifier'], 'Arn': r['AssumedRoleUser']['Arn'], 'AccessKeyId': r['Credentials']['AccessKeyId'],
                'Expiration': r['Credentials']['Expiration'].isoformat()}))
        except botocore.exceptions.ClientError as e:
            print(json.dumps({'Code': e.response['Error']['Code'], 'Status': e.response['ResponseMetadata']['HTTPStatusCode']}))
        """;

    private readonly DevelopmentSamlProvider _idp = new();
    private readonly List<(string Path, string Body, bool Authorized)> _posts = [];
    private StsEmulator _sts = null!;
    private WebApplication _service = null!;
    private string _serviceUrl = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("credvend-saml-").FullName;
        _sts = await StsEmulator.StartAsync(new StsEmulatorOptions
        {
            SamlProviders = new Dictionary<string, string> { [_idp.ProviderArn] = _idp.MetadataXml() },
            SamlTrusts = [new SamlTrust(_idp.ProviderArn)],
        });

        // A stand-in for the credentials route that records what the helper sends.
        _service = LoopbackWebApp.CreateBuilder().Build();
        _service.MapPost("/v1/tenants/{tenant}/credentials", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            _posts.Add((http.Request.Path + http.Request.QueryString, await reader.ReadToEndAsync(), http.Request.Headers.Authorization.Count > 0));
            return Results.Text("""{"Version":1,"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"s","SessionToken":"t","Expiration":"2030-01-01T00:00:00Z"}""", "application/json");
        });
        _serviceUrl = (await LoopbackWebApp.StartAsync(_service)).GetLeftPart(UriPartial.Authority);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _sts.DisposeAsync();
        _idp.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Botocore_reads_the_emulators_answer_to_a_development_response()
    {
        var answer = await BotocoreAsync(_idp.SignedResponse(new SamlResponseRequest { Subject = "alice", RoleArn = Role, Tenant = "acme" }));

        Assert.Equal("alice", answer["Subject"]!.GetValue<string>());
        Assert.Equal("persistent", answer["SubjectType"]!.GetValue<string>());
        Assert.Equal(DevelopmentSamlProvider.DefaultEntityId, answer["Issuer"]!.GetValue<string>());
        Assert.Equal(SamlNames.AwsAudience, answer["Audience"]!.GetValue<string>());
        Assert.Equal(28, answer["NameQualifier"]!.GetValue<string>().Length);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/tenant-acme/alice", answer["Arn"]!.GetValue<string>());
        Assert.StartsWith("ASIA", answer["AccessKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        var expiration = DateTimeOffset.Parse(answer["Expiration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiration - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(840), TimeSpan.FromSeconds(901));
        Assert.False(Assert.Single(_sts.Calls).Signed);
    }

    [Theory]
    [InlineData("expired", "ExpiredTokenException", 400)]
    [InlineData("wrapped", "InvalidIdentityToken", 400)]
    [InlineData("role not named", "IDPRejectedClaim", 400)]
    public async Task Botocore_reads_the_emulators_refusals_by_their_sts_codes(string shape, string code, int status)
    {
        var request = new SamlResponseRequest { Subject = "alice", RoleArn = Role };
        var assertion = shape switch
        {
            "expired" => _idp.SignedResponse(HostileSamlResponses.Expired(request)),
            "wrapped" => DevelopmentSamlProvider.Encode(HostileSamlResponses.WrappedSignature(_idp, request)),
            _ => _idp.SignedResponse(request with { RoleArn = "arn:aws:iam::123456789012:role/other" }),
        };

        var answer = await BotocoreAsync(assertion);

        Assert.Equal(code, answer["Code"]!.GetValue<string>());
        Assert.Equal(status, answer["Status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("xml")]
    [InlineData("local json")]
    public async Task Credential_process_posts_a_saml_response_from_a_file_with_its_scopes_and_no_authorization(string form)
    {
        var xml = _idp.SignedResponseXml(new SamlResponseRequest { Subject = "alice", RoleArn = Role });
        var file = Path.Combine(_folder, "response");
        await File.WriteAllTextAsync(file, form switch
        {
            "base64" => DevelopmentSamlProvider.Encode(xml) + "\n",
            "xml" => xml,
            _ => new JsonObject { ["samlResponse"] = DevelopmentSamlProvider.Encode(xml) }.ToJsonString(),
        });

        var run = await ClientProcess.RunAsync(ClientTools.CredentialProcess,
            ["--url", _serviceUrl, "--tenant", "acme", "--scopes", "files:read,files:write", "--duration", "1800", "--saml-response", file],
            new Dictionary<string, string> { ["CREDVEND_TOKEN"] = "not-sent" });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("ASIAEXAMPLE", JsonNode.Parse(run.Stdout)!["AccessKeyId"]!.GetValue<string>());
        var post = Assert.Single(_posts);
        Assert.Equal("/v1/tenants/acme/credentials?format=credential_process", post.Path);
        Assert.False(post.Authorized);
        var body = JsonNode.Parse(post.Body)!;
        Assert.Equal(xml, Encoding.UTF8.GetString(Convert.FromBase64String(body["samlResponse"]!.GetValue<string>())));
        Assert.Equal(["files:read", "files:write"], body["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(1800, body["durationSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task Credential_process_reads_a_saml_response_from_stdin()
    {
        var file = Path.Combine(_folder, "stdin");
        await File.WriteAllTextAsync(file, _idp.SignedResponse(new SamlResponseRequest { Subject = "alice", RoleArn = Role }));

        var run = await ClientProcess.RunAsync("/bin/sh", ["-c", "exec \"$0\" --url \"$1\" --tenant acme --saml-response - < \"$2\"", ClientTools.CredentialProcess, _serviceUrl, file]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Null(JsonNode.Parse(Assert.Single(_posts).Body)!["scopes"]);
    }

    [Fact]
    public async Task Credential_process_exits_2_on_an_empty_saml_response_and_sends_nothing()
    {
        var file = Path.Combine(_folder, "empty");
        await File.WriteAllTextAsync(file, "\n");

        var run = await ClientProcess.RunAsync(ClientTools.CredentialProcess, ["--url", _serviceUrl, "--tenant", "acme", "--saml-response", file]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains($"the SAML response file {file} is empty", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(_posts);
    }

    private async Task<JsonNode> BotocoreAsync(string assertion)
    {
        var run = await ClientProcess.RunAsync(await PythonTools.InterpreterAsync(), ["-c", Botocore, _sts.Endpoint.ToString(), Role, _idp.ProviderArn],
            new Dictionary<string, string> { ["SAML"] = assertion, ["AWS_EC2_METADATA_DISABLED"] = "true" });
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonNode.Parse(run.Stdout)!;
    }
}
