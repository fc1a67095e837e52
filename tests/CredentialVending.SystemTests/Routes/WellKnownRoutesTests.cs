using Amazon.Runtime;
using CredentialVending.Brokering;
using CredentialVending.Local.Hosting;
using CredentialVending.SystemTests.Clients;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>
/// The discovery and JWKS routes through the API and the real bootstrap: odd methods and queries, and PyJWT (a verifier
/// nobody here wrote) checking a token signed by the local cloud's KMS key against the JWKS the bootstrap serves.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class WellKnownRoutesTests(LocalCloud cloud)
{
    private const string Discovery = "/.well-known/openid-configuration";
    private const string Jwks = "/.well-known/jwks.json";

    // PyJWT with its RSA support, the machine's (Debian's python3-jwt) or a venv made from it.
    private static readonly Lazy<Task<string>> PyJwt = new(() =>
        new PythonTools(Path.Combine(RepositoryPaths.Root, "tests", "CredentialVending.SystemTests", "Routes", "pyjwt-requirements.txt"), Path.Combine(RepositoryPaths.Root, "tests", ".venv-pyjwt"), "/usr/bin/python3")
            .ResolveAsync(_ => { }, CancellationToken.None));

    [Fact]
    public async Task The_discovery_document_names_the_functions_issuer_and_its_jwks_and_both_are_cacheable()
    {
        var issuer = cloud.FunctionEnvironment()["BROKER_ISSUER"];

        var discovery = await cloud.SendAsync(new() { Method = "GET", Path = Discovery });
        var jwks = await cloud.SendAsync(new() { Method = "GET", Path = Jwks });

        Assert.Equal((200, 200), (discovery.Status, jwks.Status));
        Assert.Equal((issuer, issuer + Jwks), (discovery.Json.GetProperty("issuer").GetString(), discovery.Json.GetProperty("jwks_uri").GetString()));
        Assert.Equal("public, max-age=3600", jwks.Header("cache-control"));
        Assert.Equal("RS256", Assert.Single(jwks.Json.GetProperty("keys").EnumerateArray()).GetProperty("alg").GetString());
    }

    [Theory]
    [InlineData(Discovery, "?kid=other&alg=none")]
    [InlineData(Jwks, "?format=pem")]
    [InlineData(Jwks, "?%00=%ff")]
    public async Task A_query_changes_nothing(string path, string query)
    {
        await BrokeredVendTests.WarmAsync(cloud);
        var plain = await cloud.SendAsync(new() { Method = "GET", Path = path });

        var queried = await cloud.SendAsync(new() { Method = "GET", Path = path, RawQueryString = query.TrimStart('?') });

        Assert.Equal((plain.Status, plain.Body), (queried.Status, queried.Body));
    }

    [Theory]
    [InlineData("POST", Discovery)]
    [InlineData("PUT", Jwks)]
    [InlineData("DELETE", Jwks)]
    public async Task Another_method_is_405_and_serves_nothing(string method, string path)
    {
        var answer = await cloud.SendAsync(new() { Method = method, Path = path });

        // The local API hands it to the function, as a $default route would; deployed, API Gateway answers its own 404.
        Assert.Equal((405, "method_not_allowed"), (answer.Status, answer.Code));
        Assert.DoesNotContain("keys", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pyjwt_verifies_a_token_minted_with_the_local_kms_key_against_the_served_jwks()
    {
        var env = cloud.FunctionEnvironment();
        using var key = new KmsBrokerKey(env["BROKER_KMS_KEY_ID"], new Uri(env["AWS_ENDPOINT_URL_KMS"]),
            new BasicAWSCredentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        var broker = new TokenBroker(new BrokerSettings(env["BROKER_KMS_KEY_ID"], env["BROKER_ISSUER"], env["BROKER_AUDIENCE"]), key, TimeProvider.System);
        var token = await broker.MintAsync("acme", "alice", "01JDQ3ZV7W5K8Q4T0N9B2XG6AC", [new("tenant", "acme")], CancellationToken.None);
        var jwks = (await cloud.SendAsync(new() { Method = "GET", Path = Jwks })).Body;

        var run = await ClientProcess.RunAsync(await PyJwt.Value,
            ["-c", Script, jwks, token, env["BROKER_ISSUER"], env["BROKER_AUDIENCE"]]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("acme:alice 01JDQ3ZV7W5K8Q4T0N9B2XG6AC acme", run.Stdout.Trim());
    }

    // PyJWT picks the key by the token's kid from the JWKS as served, and checks signature, issuer, audience and expiry.
    private const string Script = """
        import json, sys, jwt
        jwks, token, issuer, audience = sys.argv[1:5]
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(jwt.PyJWK(k).key for k in json.loads(jwks)["keys"] if k["kid"] == kid)
        claims = jwt.decode(token, key, algorithms=["RS256"], issuer=issuer, audience=audience)
        print(claims["sub"], claims["jti"], claims["https://aws.amazon.com/tags"]["principal_tags"]["tenant"][0])
        """;
}
