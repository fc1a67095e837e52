using System.Collections.Concurrent;
using System.Text.Json;
using CredentialVending.Brokering;
using CredentialVending.Common;
using CredentialVending.Functions.Hosting;
using CredentialVending.Functions.Tests.Support;
using CredentialVending.Lambda.Events;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Kms;
using CredentialVending.Local.Sts;
using CredentialVending.SystemTests.Support;
using CredentialVending.Tests.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Functions.Tests.Routes;

/// <summary>
/// The discovery and JWKS routes as the vend function serves them, read by IdentityModel's own OpenID configuration
/// retriever (what a relying party runs), which then verifies a token the broker minted.
/// </summary>
public sealed class WellKnownRoutesTests : IDisposable
{
    private const string Issuer = "https://api.example.com";
    private const string Discovery = "/.well-known/openid-configuration";
    private const string Jwks = "/.well-known/jwks.json";
    private readonly RsaBrokerKey _key = new();
    private readonly FunctionServices _services;

    public WellKnownRoutesTests() => _services = Services(new BrokerSettings("alias/credvend", Issuer, BrokerSettings.DefaultAudience));

    [Fact]
    public async Task Identitymodel_reads_the_served_configuration_and_keys_and_verifies_a_minted_token_with_them()
    {
        var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(Issuer + Discovery, new HostRetriever(this), CancellationToken.None);
        var token = await _services.Broker!.MintAsync("acme", "alice", "01JDQ3ZV7W5K8Q4T0N9B2XG6AC", [new("tenant", "acme")], CancellationToken.None);

        var verified = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = BrokerSettings.DefaultAudience,
            IssuerSigningKeys = configuration.SigningKeys,
        });

        Assert.True(verified.IsValid, verified.Exception?.Message);
        Assert.Equal((Issuer, Issuer + Jwks), (configuration.Issuer, configuration.JwksUri));
        var jwk = Assert.Single(configuration.JsonWebKeySet.Keys);
        Assert.Equal(("RSA", "sig", "RS256"), (jwk.Kty, jwk.Use, jwk.Alg));
        Assert.Equal(new JsonWebToken(token).Kid, jwk.Kid);
    }

    [Theory]
    [InlineData(Discovery)]
    [InlineData(Jwks)]
    public async Task Both_routes_are_public_json_cacheable_for_an_hour(string path)
    {
        var answer = await SendAsync("GET", path);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("public, max-age=3600", answer.Headers!["cache-control"]);
        Assert.StartsWith("application/json", answer.Headers["content-type"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Discovery, "kid=other&alg=none")]
    [InlineData(Jwks, "kid=other")]
    [InlineData(Jwks, "format=pem&x=%00")]
    public async Task A_query_changes_nothing(string path, string query)
    {
        var plain = await SendAsync("GET", path);

        var queried = await SendAsync("GET", path, query);

        Assert.Equal((plain.StatusCode, plain.Body), (queried.StatusCode, queried.Body));
    }

    [Theory]
    [InlineData("POST", Discovery)]
    [InlineData("PUT", Jwks)]
    [InlineData("DELETE", Jwks)]
    [InlineData("PATCH", Discovery)]
    [InlineData("HEAD", Jwks)]
    [InlineData("HEAD", Discovery)]
    [InlineData("OPTIONS", Jwks)]
    [InlineData("TRACE", Discovery)]
    public async Task Another_method_is_405(string method, string path)
    {
        var answer = await SendAsync(method, path);

        Assert.Equal((405, "method_not_allowed"), (answer.StatusCode, Code(answer)));
    }

    [Theory]
    [InlineData(Discovery)]
    [InlineData(Jwks)]
    public async Task Without_broker_settings_both_routes_are_404_not_found(string path)
    {
        var answer = await SendAsync("GET", path, services: HostRun.Services());

        Assert.Equal((404, "not_found"), (answer.StatusCode, Code(answer)));
        Assert.Equal(0, _key.PublicKeyReads);
    }

    [Fact]
    public async Task Kms_failing_makes_the_jwks_503_with_a_retry_after_and_is_tried_again_on_the_next_fetch()
    {
        _key.Failure = new DependencyUnavailableException("KMS could not read the brokered tokens' public key (DisabledException).", TimeSpan.FromSeconds(2));

        var failed = await SendAsync("GET", Jwks);
        _key.Failure = null;
        var served = await SendAsync("GET", Jwks);

        Assert.Equal((503, "unavailable", "2"), (failed.StatusCode, Code(failed), failed.Headers!["retry-after"]));
        Assert.Equal(200, served.StatusCode);
    }

    public static TheoryData<string> KmsFailures =>
    [
        "200 not json", "200 without PublicKey", "PublicKey not base64", "DER not a SubjectPublicKeyInfo", "an EC key",
        "an RSA 1024 key", "down", "hanging", "throttling",
    ];

    [Theory]
    [MemberData(nameof(KmsFailures))]
    public async Task Kms_failing_for_the_public_key_is_a_jwks_503_the_discovery_still_served_and_the_next_fetch_after_it_recovers_200(string failure)
    {
        var credentials = new Amazon.Runtime.BasicAWSCredentials("AKIAWELLKNOWNTEST001", "well-known-test-secret-key-0000000000000");
        await using var kms = await KmsEmulator.StartAsync(new KmsEmulatorOptions
        {
            CallerCredentials = new Dictionary<string, string> { [credentials.GetCredentials().AccessKey] = credentials.GetCredentials().SecretKey },
            SigningKeyAliases = ["alias/credvend"],
        });
        using var key = new KmsBrokerKey("alias/credvend", kms.Endpoint, credentials, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        var services = new FunctionServices(HostRun.Configuration with { Broker = _services.Configuration.Broker }, TimeProvider.System, dynamo: null, logger: null, brokerKey: key);
        Break(kms, failure);

        var failed = await SendAsync("GET", Jwks, services: services);
        var discovery = await SendAsync("GET", Discovery, services: services);
        (kms.Garble, kms.Down) = (null, false);
        kms.Faults.Clear();
        var served = await SendAsync("GET", Jwks, services: services);

        Assert.Equal((503, "unavailable"), (failed.StatusCode, Code(failed)));
        Assert.True(int.Parse(failed.Headers!["retry-after"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("application/problem+json", failed.Headers["content-type"]);
        Assert.Equal(200, discovery.StatusCode);
        Assert.Equal(200, served.StatusCode);
        Assert.Equal("RSA", JsonDocument.Parse(served.Body!).RootElement.GetProperty("keys")[0].GetProperty("kty").GetString());
    }

    public void Dispose() => _key.Dispose();

    private static void Break(KmsEmulator kms, string failure)
    {
        switch (failure)
        {
            case "down":
                kms.Down = true;
                break;
            case "hanging":
                kms.Faults.Set(StsFault.Hang(TimeSpan.FromSeconds(10)));
                break;
            case "throttling":
                kms.Faults.Set(StsFault.Throttle);
                break;
            default:
                kms.Garble = new KmsGarble("GetPublicKey", failure switch
                {
                    "200 not json" => KmsGarbleKind.NotJson,
                    "200 without PublicKey" => KmsGarbleKind.NoBlob,
                    "PublicKey not base64" => KmsGarbleKind.BlobNotBase64,
                    "DER not a SubjectPublicKeyInfo" => KmsGarbleKind.NotSubjectPublicKeyInfo,
                    "an EC key" => KmsGarbleKind.EcKey,
                    _ => KmsGarbleKind.SmallRsaKey,
                });
                break;
        }
    }

    private FunctionServices Services(BrokerSettings broker) =>
        new(HostRun.Configuration with { Broker = broker }, TimeProvider.System, dynamo: null, logger: null, brokerKey: _key);

    private async Task<APIGatewayHttpApiV2ProxyResponse> SendAsync(string method, string path, string query = "", FunctionServices? services = null)
    {
        var host = new FunctionHost(RouteTable.Vend, RouteTable.For(RouteTable.Vend), services ?? _services);
        var payload = HttpApiEvent.Create(new HttpApiRequest { Method = method, Path = path, RawQueryString = query }, DateTimeOffset.UtcNow);
        return await host.HandleEventAsync(payload, new RecordingLambdaContext(new ConcurrentQueue<string>(), "credvend-vend"), CancellationToken.None);
    }

    private static string? Code(APIGatewayHttpApiV2ProxyResponse answer) => JsonDocument.Parse(answer.Body!).RootElement.GetProperty("code").GetString();

    /// <summary>IdentityModel's fetches, answered by the vend function's host instead of the network.</summary>
    private sealed class HostRetriever(WellKnownRoutesTests routes) : IDocumentRetriever
    {
        public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            var url = new Uri(address);
            Assert.Equal(Issuer, url.GetLeftPart(UriPartial.Authority));
            var answer = await routes.SendAsync("GET", url.AbsolutePath);
            Assert.Equal(200, answer.StatusCode);
            return answer.Body!;
        }
    }
}
