using System.Security.Cryptography;
using System.Text.Json;
using CredentialVending.Brokering;
using CredentialVending.Common;
using CredentialVending.Tests.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Tests.Brokering;

/// <summary>
/// The brokered token as docs/api.md "Brokered tenants" lists it, checked by IdentityModel's own JWT verifier against the
/// JWKS the broker serves, with a real RSA key standing in for KMS.
/// </summary>
public sealed class TokenBrokerTests : IDisposable
{
    private const string Issuer = "https://api.example.com";
    private const string LeaseId = "01JDQ3ZV7W5K8Q4T0N9B2XG6AC";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly RsaBrokerKey _key = new();
    private readonly TokenBroker _broker;

    public TokenBrokerTests() =>
        _broker = new TokenBroker(new BrokerSettings("alias/credvend", Issuer, BrokerSettings.DefaultAudience), _key, new ManualTimeProvider(Now));

    [Fact]
    public async Task A_minted_token_verifies_against_the_served_jwks_with_its_issuer_and_audience()
    {
        var token = await MintAsync("alice");

        var checkedToken = await new JsonWebTokenHandler().ValidateTokenAsync(token, await ParametersAsync(Now.UtcDateTime));

        Assert.True(checkedToken.IsValid, checkedToken.Exception?.Message);
        Assert.Equal("acme:alice", checkedToken.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_does_not_verify_against_the_served_jwks()
    {
        using var other = new RsaBrokerKey();
        var forged = await new TokenBroker(_broker.Settings, other, new ManualTimeProvider(Now)).MintAsync("acme", "alice", LeaseId, [], CancellationToken.None);

        var checkedToken = await new JsonWebTokenHandler().ValidateTokenAsync(forged, await ParametersAsync(Now.UtcDateTime));

        Assert.False(checkedToken.IsValid);
    }

    [Fact]
    public async Task The_claims_are_the_tenant_and_subject_the_lease_id_five_minutes_and_the_rendered_tags()
    {
        var token = new JsonWebToken(await MintAsync("alice", ("tenant", "acme"), ("subject", "alice")));

        Assert.Equal((Issuer, "credential-vending", "acme:alice", LeaseId), (token.Issuer, Assert.Single(token.Audiences), token.Subject, token.Id));
        Assert.Equal(Now.ToUnixTimeSeconds(), token.GetPayloadValue<long>("iat"));
        Assert.Equal(Now.ToUnixTimeSeconds() + 300, token.GetPayloadValue<long>("exp"));
        Assert.Equal("alice", token.GetPayloadValue<string>("https://aws.amazon.com/source_identity"));
        var tags = JsonDocument.Parse(Payload(token)).RootElement.GetProperty("https://aws.amazon.com/tags");
        Assert.Equal("""{"principal_tags":{"tenant":["acme"],"subject":["alice"]},"transitive_tag_keys":[]}""", tags.GetRawText());
    }

    [Fact]
    public async Task The_header_is_rs256_jwt_with_the_rfc_7638_thumbprint_of_the_key_as_kid()
    {
        var token = new JsonWebToken(await MintAsync("alice"));

        var expected = Base64UrlEncoder.Encode(new RsaSecurityKey(_key.Rsa.ExportParameters(false)).ComputeJwkThumbprint());
        Assert.Equal(("RS256", "JWT", expected), (token.Alg, token.Typ, token.Kid));
        Assert.Equal(expected, (await _broker.JwkAsync(CancellationToken.None)).Kid);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("alice smith")]
    [InlineData("auth0|5f7c8ec7c33c6c004bbafe82")]
    public async Task A_subject_outside_sts_source_identity_pattern_is_left_out_of_the_source_identity_claim(string subject)
    {
        var token = new JsonWebToken(await MintAsync(subject));

        Assert.False(token.TryGetPayloadValue<string>("https://aws.amazon.com/source_identity", out _));
        Assert.Equal("acme:" + subject, token.Subject);
    }

    [Fact]
    public async Task The_public_key_is_read_once_for_every_token_and_jwks_answer()
    {
        await MintAsync("alice");
        await MintAsync("bob");
        await _broker.JwkAsync(CancellationToken.None);

        Assert.Equal((1, 2), (_key.PublicKeyReads, _key.Signs));
    }

    public static TheoryData<string> WrongSignatures => ["another key's", "a 1024-bit key's length", "one byte", "empty"];

    [Theory]
    [MemberData(nameof(WrongSignatures))]
    public async Task A_signature_that_does_not_verify_under_the_key_is_kms_unavailable_and_no_token_is_minted(string signature)
    {
        using var other = RSA.Create(2048);
        _key.Signature = signature switch
        {
            "another key's" => other.SignHash(new byte[32], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "a 1024-bit key's length" => RandomNumberGenerator.GetBytes(128),
            "one byte" => [1],
            _ => [],
        };

        var failed = await Assert.ThrowsAsync<DependencyUnavailableException>(() => MintAsync("alice"));

        Assert.Contains("KMS could not sign the brokered token (InvalidDataException)", failed.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(2), failed.RetryAfter);
    }

    [Fact]
    public async Task After_the_key_is_rotated_under_the_alias_one_mint_is_unavailable_and_the_next_reads_the_new_key_and_serves_it()
    {
        var before = await MintAsync("alice");
        var old = _key.Rsa;
        _key.Rsa = RSA.Create(2048);

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => MintAsync("alice"));
        var after = await MintAsync("alice");
        var jwk = await _broker.JwkAsync(CancellationToken.None);

        old.Dispose();
        Assert.Equal(2, _key.PublicKeyReads);
        Assert.NotEqual(new JsonWebToken(before).Kid, new JsonWebToken(after).Kid);
        Assert.Equal(new JsonWebToken(after).Kid, jwk.Kid);
    }

    public static TheoryData<string> WrongPublicKeys => ["not DER", "an EC P-256 key", "an RSA 1024 key", "empty"];

    [Theory]
    [MemberData(nameof(WrongPublicKeys))]
    public async Task A_public_key_that_is_not_rsa_of_2048_bits_or_more_is_kms_unavailable_and_tried_again_next_call(string publicKey)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var small = RSA.Create(1024);
        _key.PublicKey = publicKey switch
        {
            "not DER" => [0x30, 0x03, 0x02, 0x01, 0x00],
            "an EC P-256 key" => ec.ExportSubjectPublicKeyInfo(),
            "an RSA 1024 key" => small.ExportSubjectPublicKeyInfo(),
            _ => [],
        };

        var failed = await Assert.ThrowsAsync<DependencyUnavailableException>(() => _broker.JwkAsync(CancellationToken.None));
        _key.PublicKey = null;
        var jwk = await _broker.JwkAsync(CancellationToken.None);

        Assert.Contains("KMS could not read an RSA public key", failed.Message, StringComparison.Ordinal);
        Assert.Equal(("RSA", 2), (jwk.Kty, _key.PublicKeyReads));
    }

    [Fact]
    public async Task A_public_key_read_that_failed_is_tried_again_on_the_next_call()
    {
        _key.Failure = new DependencyUnavailableException("KMS could not read the key.", TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => MintAsync("alice"));

        _key.Failure = null;
        await MintAsync("alice");

        Assert.Equal(2, _key.PublicKeyReads);
    }

    [Fact]
    public async Task The_discovery_document_names_the_issuer_the_jwks_and_rs256_id_tokens()
    {
        var discovery = JsonSerializer.Serialize(_broker.Discovery, BrokerJsonContext.Default.OpenIdConfiguration);

        var configuration = Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration.Create(discovery);
        Assert.Equal((Issuer, Issuer + "/.well-known/jwks.json"), (configuration.Issuer, configuration.JwksUri));
        Assert.Equal(["RS256"], configuration.IdTokenSigningAlgValuesSupported);
        Assert.Equal(["id_token"], configuration.ResponseTypesSupported);
        Assert.Equal(["public"], configuration.SubjectTypesSupported);
        Assert.Contains("https://aws.amazon.com/tags", configuration.ClaimsSupported);
    }

    public void Dispose() => _key.Dispose();

    private Task<string> MintAsync(string subject, params (string Key, string Value)[] tags) =>
        _broker.MintAsync("acme", subject, LeaseId, [.. tags.Select(t => KeyValuePair.Create(t.Key, t.Value))], CancellationToken.None);

    private async Task<TokenValidationParameters> ParametersAsync(DateTime now)
    {
        var jwks = JsonSerializer.Serialize(new BrokerJwkSet([await _broker.JwkAsync(CancellationToken.None)]), BrokerJsonContext.Default.BrokerJwkSet);
        return new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = "credential-vending",
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
            ValidAlgorithms = ["RS256"],
            LifetimeValidator = (notBefore, expires, _, _) => expires > now,
        };
    }

    private static string Payload(JsonWebToken token) => System.Text.Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
}
