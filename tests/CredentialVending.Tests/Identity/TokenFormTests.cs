using System.Globalization;
using System.Text;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Identity;

/// <summary>
/// Tokens whose header or payload two JSON parsers could read two ways: each is refused by the form check, which
/// needs no tenant, so a route answers 401 before it reads one. Each case is signed by the tenant's own key, so only
/// its JSON is wrong, and <see cref="The_well_formed_twin_of_every_case_is_accepted"/> shows the template is good.
/// </summary>
public sealed class TokenFormTests
{
    private const string GoodHeader = """{"alg":"RS256","kid":"{KID}","typ":"JWT"}""";
    private const string Claims = """ "iss":"{ISS}","aud":"credvend-local","iat":{NOW},"exp":{EXP}""";
    private const string GoodPayload = """{"sub":"alice",""" + Claims + "}";

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "a repeated claim", GoodHeader, """{"sub":"alice","sub":"admin",""" + Claims + "}" },
        { "a claim repeated under an escaped name", GoodHeader, """{"sub":"alice","s\u0075b":"admin",""" + Claims + "}" },
        { "a name repeated inside a claim", GoodHeader, """{"sub":"alice","https://aws.amazon.com/tags":{"principal_tags":{"tenant":["acme"],"tenant":["globex"]}},""" + Claims + "}" },
        { "a repeated header parameter", """{"alg":"RS256","kid":"{KID}","alg":"none"}""", GoodPayload },
        { "a header parameter repeated under an escaped name", """{"alg":"RS256","kid":"{KID}","k\u0069d":"other"}""", GoodPayload },
        { "a claim name that is a lone surrogate", GoodHeader, """{"sub":"alice","\udc00":1,""" + Claims + "}" },
        { "a lone surrogate deep in a claim", GoodHeader, """{"sub":"alice","groups":["editors","\ud800"],""" + Claims + "}" },
        { "a lone surrogate in the header", """{"alg":"RS256","kid":"{KID}","typ":"\udfff"}""", GoodPayload },
        { "nesting deeper than any real token", GoodHeader, """{"sub":"alice","deep":""" + new string('[', 40) + new string(']', 40) + "," + Claims + "}" },
        { "a number no double holds", GoodHeader, """{"sub":"alice","n":1e400,""" + Claims + "}" },
        { "exp as a string of digits", GoodHeader, """{"sub":"alice","iss":"{ISS}","aud":"credvend-local","exp":"{EXP}"}""" },
        { "nbf as a string of digits", GoodHeader, """{"sub":"alice","nbf":"{NOW}",""" + Claims + "}" },
        { "iat as a string of digits", GoodHeader, """{"sub":"alice","iss":"{ISS}","aud":"credvend-local","iat":"{NOW}","exp":{EXP}}""" },
        { "exp past what a date holds", GoodHeader, """{"sub":"alice","iss":"{ISS}","aud":"credvend-local","exp":1e300}""" },
        { "exp as a boolean", GoodHeader, """{"sub":"alice","iss":"{ISS}","aud":"credvend-local","exp":true}""" },
        { "an aud array holding a number", GoodHeader, """{"sub":"alice","iss":"{ISS}","aud":["credvend-local",7],"exp":{EXP}}""" },
        { "data after the payload object", GoodHeader, GoodPayload + " {}" },
        { "a comment in the payload", GoodHeader, """{"sub":"alice", /* hi */ """ + Claims + "}" },
        { "a trailing comma", GoodHeader, """{"sub":"alice",""" + Claims + ",}" },
        { "a payload that is an array", GoodHeader, "[" + GoodPayload + "]" },
        { "a header that is a string", "\"RS256\"", GoodPayload },
        { "a header with a byte order mark", "\uFEFF" + GoodHeader, GoodPayload },
        { "a payload with a byte order mark", GoodHeader, "\uFEFF" + GoodPayload },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_token_whose_json_could_be_read_two_ways_is_refused_before_any_tenant_is_read(string name, string header, string payload)
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.SignRaw(Fill(h, header), Fill(h, payload));

        var refusal = BearerToken.Read("Bearer " + token).Refusal;

        Assert.True(refusal is not null, $"{name}: the form check let it through");
        Assert.Equal(Codes.InvalidToken, refusal.Code);
        Assert.DoesNotContain(token, refusal.Detail, StringComparison.Ordinal);
        Assert.Equal(Codes.InvalidToken, (await h.AuthenticateAsync(token)).Refusal?.Code);
        Assert.Equal(0, h.Issuer.DiscoveryFetchCount);
    }

    [Fact]
    public async Task The_well_formed_twin_of_every_case_is_accepted()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.SignRaw(Fill(h, GoodHeader), Fill(h, """{"sub":"alice","groups":["editors"],"n":1e300,"deep":[[[1]]],""" + Claims + "}"));

        Assert.Null(BearerToken.Read("Bearer " + token).Refusal);
        var caller = await h.AuthenticateAsync(token);
        Assert.False(caller.IsRefused, caller.Refusal?.Detail);
        Assert.Equal("alice", caller.Value!.Subject);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xFF })]
    public async Task A_payload_that_is_not_utf8_is_refused_by_the_form_check(byte[] junk)
    {
        await using var h = await IdentityHarness.StartAsync();
        var payload = Encoding.UTF8.GetBytes(Fill(h, """{"sub":"alice","x":"?",""" + Claims + "}"));
        var at = Array.IndexOf(payload, (byte)'?');
        var bytes = payload[..at].Concat(junk).Concat(payload[(at + 1)..]).ToArray();
        var token = h.Issuer.SignRaw(Encoding.UTF8.GetBytes(Fill(h, GoodHeader)), bytes);

        Assert.Equal(Codes.InvalidToken, BearerToken.Read("Bearer " + token).Refusal?.Code);
    }

    [Theory]
    [InlineData("e31.e30.c2ln")]
    [InlineData("e30.e3.c2ln")]
    [InlineData("e30=.e30.c2ln")]
    [InlineData("e3+.e30.c2ln")]
    [InlineData("e30.e30.c2ln.")]
    [InlineData(".e30.c2ln")]
    public void A_segment_that_is_not_strict_base64url_is_refused_not_thrown(string token)
    {
        Assert.Equal(Codes.InvalidToken, BearerToken.Read("Bearer " + token).Refusal?.Code);
    }

    [Theory]
    [InlineData("""{"sub":"alice","aud":"","client_id":"credvend-local","iss":"{ISS}","exp":{EXP}}""")]
    [InlineData("""{"sub":"alice","aud":[],"client_id":"credvend-local","iss":"{ISS}","exp":{EXP}}""")]
    [InlineData("""{"sub":"alice","aud":[""],"client_id":"credvend-local","iss":"{ISS}","exp":{EXP}}""")]
    public async Task An_empty_aud_is_an_aud_and_never_falls_back_to_client_id(string payload)
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.SignRaw(Fill(h, GoodHeader), Fill(h, payload));

        var outcome = await h.AuthenticateAsync(token);

        Assert.Equal(Codes.InvalidToken, outcome.Refusal?.Code);
        Assert.Contains("audience", outcome.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{EXP}.5")]
    [InlineData("{EXP}e0")]
    public async Task A_numeric_date_may_be_any_json_number(string exp)
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.SignRaw(Fill(h, GoodHeader), Fill(h, """{"sub":"alice","iss":"{ISS}","aud":"credvend-local","exp":""" + exp + "}"));

        var outcome = await h.AuthenticateAsync(token);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
    }

    private static string Fill(IdentityHarness h, string text)
    {
        var now = h.Clock.GetUtcNow().ToUnixTimeSeconds();
        return text
            .Replace("{KID}", h.Issuer.KeyIdFor("RS256"), StringComparison.Ordinal)
            .Replace("{ISS}", h.Issuer.Issuer, StringComparison.Ordinal)
            .Replace("{NOW}", now.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{EXP}", (now + 600).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
