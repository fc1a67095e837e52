using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Local.Oidc;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Identity;

/// <summary>SECURITY.md's hostile tokens: each is a 401 invalid_token, never a 5xx and never a caller.</summary>
public sealed class HostileTokenTests
{
    [Fact]
    public async Task An_unsigned_alg_none_token_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.SignRaw(Header("none", h.Issuer.KeyIdFor("RS256")), Payload(h), DevelopmentSigningKey.Unsigned);

        await AssertInvalidToken(h, token, "algorithm");
    }

    [Fact]
    public async Task An_hs256_token_keyed_with_the_public_key_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.SignRaw(Header("HS256", h.Issuer.KeyIdFor("RS256")), Payload(h), DevelopmentSigningKey.HmacWithRsaPublicKeyPem);

        await AssertInvalidToken(h, token, "algorithm");
    }

    [Fact]
    public async Task A_token_whose_header_claims_rs256_but_is_signed_by_the_ec_key_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.SignRaw(Header("RS256", h.Issuer.KeyIdFor("RS256")), Payload(h), DevelopmentSigningKey.EcP256);

        await AssertInvalidToken(h, token, "signature");
    }

    [Fact]
    public async Task A_hand_signed_token_with_a_good_signature_is_accepted()
    {
        // The control for the hand-made tokens above: SignRaw itself makes valid tokens.
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.SignRaw(Header("RS256", h.Issuer.KeyIdFor("RS256")), Payload(h));

        Assert.False((await h.AuthenticateAsync(token)).IsRefused);
    }

    [Fact]
    public async Task A_tampered_payload_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var parts = h.Token("alice").Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("alice", "admin", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        await AssertInvalidToken(h, tampered, "signature");
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", IssuedAt = h.Clock.GetUtcNow().AddHours(-2), Lifetime = TimeSpan.FromHours(1) });

        await AssertInvalidToken(h, token, "expired");
    }

    [Fact]
    public async Task A_token_expired_within_the_clock_skew_is_accepted()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", IssuedAt = h.Clock.GetUtcNow().AddMinutes(-10), Lifetime = TimeSpan.FromSeconds(570) });

        Assert.False((await h.AuthenticateAsync(token)).IsRefused);
    }

    [Fact]
    public async Task A_token_expires_for_the_authenticator_by_its_own_clock()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", Lifetime = TimeSpan.FromMinutes(5) });
        Assert.False((await h.AuthenticateAsync(token)).IsRefused);

        h.Clock.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));

        await AssertInvalidToken(h, token, "expired");
    }

    [Fact]
    public async Task A_token_not_valid_until_later_than_the_skew_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var later = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", NotBefore = h.Clock.GetUtcNow().AddMinutes(5) });
        var withinSkew = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", NotBefore = h.Clock.GetUtcNow().AddSeconds(30) });

        await AssertInvalidToken(h, later, "not valid yet");
        Assert.False((await h.AuthenticateAsync(withinSkew)).IsRefused);
    }

    [Fact]
    public async Task A_token_without_exp_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var payload = $$"""{"iss":"{{h.Issuer.Issuer}}","sub":"alice","aud":"{{IdentityTenants.Audience}}"}""";
        var token = h.Issuer.SignRaw(Header("RS256", h.Issuer.KeyIdFor("RS256")), payload);

        await AssertInvalidToken(h, token, "expiry");
    }

    [Theory]
    [InlineData("https://evil.example", false)]
    [InlineData(null, true)]
    public async Task A_token_of_another_issuer_is_refused_without_a_fetch(string? issuer, bool ownWithTrailingSlash)
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", Issuer = ownWithTrailingSlash ? h.Issuer.Issuer + "/" : issuer });

        await AssertInvalidToken(h, token, "issuer");
        Assert.Equal(0, h.Issuer.DiscoveryFetchCount);
    }

    [Fact]
    public async Task A_token_without_kid_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.SignRaw("""{"alg":"RS256","typ":"JWT"}""", Payload(h));

        await AssertInvalidToken(h, token, "kid");
    }

    [Fact]
    public async Task An_oversized_token_is_refused_without_a_fetch()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Token(claims: new Dictionary<string, object> { ["padding"] = new string('x', 16 * 1024) });

        await AssertInvalidToken(h, token, "16 KiB");
        Assert.Equal(0, h.Issuer.DiscoveryFetchCount);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln")]
    [InlineData("....")]
    [InlineData("e30.e30.e30.e30")]
    public async Task Something_that_is_not_a_jwt_is_refused(string token)
    {
        await using var h = await IdentityHarness.StartAsync();

        var outcome = await h.AuthenticateAsync(token);

        Assert.Equal(Codes.InvalidToken, outcome.Refusal?.Code);
        Assert.Equal(0, h.Issuer.DiscoveryFetchCount);
    }

    [Theory]
    [InlineData("""{"alg":"RS256","kid":"{KID}"}""", """{"iss":5,"sub":"alice","aud":"credvend-local","exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":7}""", """{"iss":"{ISS}","sub":"alice","aud":"credvend-local","exp":{EXP}}""")]
    [InlineData("""{"alg":256,"kid":"{KID}"}""", """{"iss":"{ISS}","sub":"alice","aud":"credvend-local","exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":"{KID}"}""", """{"iss":"{ISS}","sub":"alice","aud":{"x":1},"exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":"{KID}"}""", """{"iss":"{ISS}","sub":"alice","aud":"credvend-local","exp":"tomorrow"}""")]
    [InlineData("""{"alg":"RS256","kid":"{KID}"}""", """{"iss":"{ISS}","sub":42,"aud":"credvend-local","exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":"{KID}"}""", """{"iss":"{ISS}","sub":"alice","aud":[],"exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":"{KID}"}""", """{"iss":"{ISS}","sub":"alice","sub":"admin","aud":"credvend-local","exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":"{KID}"}""", """{"iss":"\ud800","sub":"alice","aud":"credvend-local","exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":"\udc00"}""", """{"iss":"{ISS}","sub":"alice","aud":"credvend-local","exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":"{KID}"}""", """{"iss":"{ISS}","sub":"\ud800","aud":"credvend-local","exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":"{KID}"}""", """{"iss":"{ISS}","sub":"alice","aud":"\ud800","exp":{EXP}}""")]
    [InlineData("""{"alg":"RS256","kid":"{KID}","crit":["exp"]}""", """{"iss":"{ISS}","sub":"alice","aud":"credvend-local","exp":{EXP}}""")]
    public async Task Claims_of_the_wrong_type_are_refused_not_thrown(string header, string payload)
    {
        await using var h = await IdentityHarness.StartAsync();
        string Fill(string text) => text
            .Replace("{KID}", h.Issuer.KeyIdFor("RS256"), StringComparison.Ordinal)
            .Replace("{ISS}", h.Issuer.Issuer, StringComparison.Ordinal)
            .Replace("{EXP}", h.Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        await AssertInvalidToken(h, h.Issuer.SignRaw(Fill(header), Fill(payload)), null);
    }

    [Fact]
    public async Task An_encrypted_jwe_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var header = B64("""{"alg":"RSA-OAEP","enc":"A256GCM","kid":"k1"}""");
        var jwe = $"{header}.{B64("key")}.{B64("iv-iv-iv-iv")}.{B64("ciphertext")}.{B64("tag-tag-tag-tag")}";

        await AssertInvalidToken(h, jwe, null);
        Assert.Equal(0, h.Issuer.DiscoveryFetchCount);
    }

    private static async Task AssertInvalidToken(IdentityHarness h, string token, string? detailMentions)
    {
        var outcome = await h.AuthenticateAsync(token);

        Assert.True(outcome.IsRefused, "the token was accepted");
        Assert.Equal(Codes.InvalidToken, outcome.Refusal!.Code);
        Assert.DoesNotContain(token, outcome.Refusal.Detail, StringComparison.Ordinal);
        if (detailMentions is not null)
        {
            Assert.Contains(detailMentions, outcome.Refusal.Detail, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string Header(string alg, string kid) => JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = alg, ["kid"] = kid, ["typ"] = "JWT" });

    private static string Payload(IdentityHarness h)
    {
        var now = h.Clock.GetUtcNow().ToUnixTimeSeconds();
        return $$"""{"iss":"{{h.Issuer.Issuer}}","sub":"alice","aud":"{{IdentityTenants.Audience}}","iat":{{now}},"nbf":{{now}},"exp":{{now + 600}}}""";
    }

    private static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
