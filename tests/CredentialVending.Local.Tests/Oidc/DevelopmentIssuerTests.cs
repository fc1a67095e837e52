using System.Net;
using System.Text.Json;
using CredentialVending.Local.Oidc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Local.Tests.Oidc;

public sealed class DevelopmentIssuerTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private DevelopmentIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await DevelopmentIssuer.StartAsync();

    public async Task DisposeAsync()
    {
        await _issuer.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Discovery_names_the_issuer_and_its_endpoints()
    {
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", _issuer.Issuer);

        using var discovery = JsonDocument.Parse(await _http.GetStringAsync(_issuer.Issuer + "/.well-known/openid-configuration"));

        var root = discovery.RootElement;
        Assert.Equal(_issuer.Issuer, root.GetProperty("issuer").GetString());
        Assert.Equal(_issuer.Issuer + "/.well-known/jwks.json", root.GetProperty("jwks_uri").GetString());
        Assert.Equal(_issuer.Issuer + "/_local/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal(["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"], Strings(root, "id_token_signing_alg_values_supported"));
        Assert.Contains("id_token", Strings(root, "response_types_supported"));
        Assert.Equal(["public"], Strings(root, "subject_types_supported"));
    }

    [Fact]
    public async Task Jwks_publishes_every_key_with_alg_and_use()
    {
        using var jwks = JsonDocument.Parse(await _http.GetStringAsync(_issuer.Issuer + "/.well-known/jwks.json"));

        var keys = jwks.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(DevelopmentIssuer.Algorithms, keys.Select(k => k.GetProperty("alg").GetString()));
        Assert.All(keys, k => Assert.Equal("sig", k.GetProperty("use").GetString()));
        Assert.Equal(keys.Count, keys.Select(k => k.GetProperty("kid").GetString()).Distinct().Count());
        Assert.All(keys.Where(k => k.GetProperty("kty").GetString() == "RSA"), k => Assert.Equal("AQAB", k.GetProperty("e").GetString()));
        Assert.Equal(["P-256", "P-384"], keys.Where(k => k.GetProperty("kty").GetString() == "EC").Select(k => k.GetProperty("crv").GetString()));
        Assert.All(keys, k => Assert.False(k.TryGetProperty("d", out _), "a private part was published"));
        Assert.Equal(1, _issuer.JwksFetchCount);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    public async Task Tokens_validate_against_the_fetched_jwks(string algorithm)
    {
        var token = _issuer.IssueToken(new TokenRequest
        {
            Subject = "alice",
            Algorithm = algorithm,
            Claims = new Dictionary<string, object> { ["groups"] = new[] { "admins", "editors" }, ["tenant"] = "acme", ["level"] = 3 },
        });

        var result = await ValidateAsync(token);

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal((algorithm, _issuer.KeyIdFor(algorithm), "JWT"), (jwt.Alg, jwt.Kid, jwt.Typ));
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal(["admins", "editors"], jwt.GetPayloadValue<string[]>("groups"));
        Assert.Equal(3, jwt.GetPayloadValue<int>("level"));
        Assert.Equal(["credvend-local"], jwt.Audiences);
        Assert.InRange(jwt.ValidTo - jwt.IssuedAt, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public void Audiences_are_an_array_when_several_and_absent_when_none()
    {
        var several = new JsonWebToken(_issuer.IssueToken(new TokenRequest { Subject = "a", Audiences = ["one", "two"] }));
        var none = new JsonWebToken(_issuer.IssueToken(new TokenRequest { Subject = "a", Audiences = [] }));

        Assert.Equal(["one", "two"], several.Audiences);
        Assert.False(none.TryGetPayloadValue<object>("aud", out _));
    }

    [Fact]
    public async Task Expired_and_future_tokens_fail_validation()
    {
        var expired = _issuer.IssueToken(new TokenRequest { Subject = "a", IssuedAt = DateTimeOffset.UtcNow.AddHours(-3) });
        var future = _issuer.IssueToken(new TokenRequest { Subject = "a", NotBefore = DateTimeOffset.UtcNow.AddHours(1) });

        Assert.IsType<SecurityTokenExpiredException>((await ValidateAsync(expired)).Exception);
        Assert.IsType<SecurityTokenNotYetValidException>((await ValidateAsync(future)).Exception);
    }

    [Fact]
    public async Task Jwks_down_answers_503_to_discovery_and_jwks()
    {
        _issuer.JwksDown = true;

        using var discovery = await _http.GetAsync(new Uri(_issuer.Issuer + "/.well-known/openid-configuration"));
        using var jwks = await _http.GetAsync(new Uri(_issuer.Issuer + "/.well-known/jwks.json"));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (discovery.StatusCode, jwks.StatusCode));
        Assert.Equal((1, 1), (_issuer.DiscoveryFetchCount, _issuer.JwksFetchCount));
    }

    [Fact]
    public async Task Rotation_changes_kids_and_retires_old_tokens()
    {
        var before = _issuer.KeyIdFor("RS256");
        var old = _issuer.IssueToken(new TokenRequest { Subject = "a" });

        _issuer.RotateKeys();

        Assert.NotEqual(before, _issuer.KeyIdFor("RS256"));
        Assert.False((await ValidateAsync(old)).IsValid);
        Assert.True((await ValidateAsync(_issuer.IssueToken(new TokenRequest { Subject = "a" }))).IsValid);
    }

    [Fact]
    public async Task Sign_raw_crafts_tokens_with_any_header()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = $$"""{"iss":"{{_issuer.Issuer}}","sub":"a","aud":"credvend-local","exp":{{now + 600}}}""";

        var genuine = _issuer.SignRaw($$"""{"alg":"ES256","kid":"{{_issuer.KeyIdFor("ES256")}}"}""", payload, DevelopmentSigningKey.EcP256);
        var unsigned = _issuer.SignRaw("""{"alg":"none"}""", payload, DevelopmentSigningKey.Unsigned);
        var confused = _issuer.SignRaw("""{"alg":"HS256"}""", payload, DevelopmentSigningKey.HmacWithRsaPublicKeyPem);

        Assert.True((await ValidateAsync(genuine)).IsValid);
        Assert.EndsWith(".", unsigned, StringComparison.Ordinal);
        Assert.False((await ValidateAsync(unsigned)).IsValid);
        Assert.False((await ValidateAsync(confused)).IsValid);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", _issuer.RsaPublicKeyPem, StringComparison.Ordinal);
    }

    private async Task<TokenValidationResult> ValidateAsync(string token)
    {
        var keys = new JsonWebKeySet(await _http.GetStringAsync(_issuer.Issuer + "/.well-known/jwks.json")).GetSigningKeys();
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _issuer.Issuer,
            ValidAudience = "credvend-local",
            IssuerSigningKeys = keys,
            ClockSkew = TimeSpan.FromSeconds(60),
        });
    }

    private static List<string> Strings(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
