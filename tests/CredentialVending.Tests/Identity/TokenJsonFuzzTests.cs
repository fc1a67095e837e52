using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tests.Fuzz;
using CredentialVending.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace CredentialVending.Tests.Identity;

/// <summary>
/// Headers and payloads stitched from the pieces hostile JSON is made of (repeated and escaped names, lone
/// surrogates, huge numbers, BOMs, deep brackets), each signed by the tenant's own key: the form check and the whole
/// authentication answer every one of them, never throw, and never accept one that repeats a name.
/// </summary>
[Trait("Category", "Soak")]
public sealed class TokenJsonFuzzTests
{
    private static readonly string[] Pieces =
    [
        "{", "}", "[", "]", ":", ",", "\"sub\"", "\"s\\u0075b\"", "\"alice\"", "\"admin\"", "\"exp\"", "\"aud\"",
        "\"credvend-local\"", "\"\"", "\"\\ud800\"", "\"\\udc00\"", "1e400", "-0", "1.5", "9999999999", "true", "null",
        "\uFEFF", " ", "\"tenant\"", "\"https://aws.amazon.com/tags\"", "\"principal_tags\"", "\"\\u0000\"", "/*", "*/",
    ];

    [Fact]
    public async Task Stitched_json_in_a_well_signed_token_is_answered_and_never_thrown()
    {
        await using var h = await IdentityHarness.StartAsync();
        var kid = h.Issuer.KeyIdFor("RS256");
        var exp = h.Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        var good = $$"""{"sub":"alice","iss":"{{h.Issuer.Issuer}}","aud":"credvend-local","exp":{{exp}}""";
        var stitched = Gen.ListOf(Gen.Elements(Pieces)).Select(p => string.Concat(p));
        var cases =
            from middle in stitched
            from inHeader in Gen.Elements(true, false)
            select inHeader
                ? (Header: $$"""{"alg":"RS256","kid":"{{kid}}",""" + middle + "}", Payload: good + "}")
                : (Header: $$"""{"alg":"RS256","kid":"{{kid}}"}""", Payload: good + "," + middle + "}");

        var property = Prop.ForAll(Arb.From(cases), c =>
        {
            var token = h.Issuer.SignRaw(c.Header, c.Payload);
            var form = BearerToken.Read("Bearer " + token).Refusal;
            var outcome = Task.Run(() => h.AuthenticateAsync(token)).GetAwaiter().GetResult();
            var answered = (form is null || form.Code == Codes.InvalidToken) && (!outcome.IsRefused || outcome.Refusal!.Code == Codes.InvalidToken);
            return Prop.Label(answered && (outcome.IsRefused || (ReadsOneWay(c.Header) && ReadsOneWay(c.Payload))), $"{c.Header} . {c.Payload}");
        });

        await Task.Run(() => Check.One(FuzzRuns.Config(300), property));
    }

    /// <summary>The oracle, another of .NET's JSON readers: JsonObject refuses a repeated name when it is built.</summary>
    private static bool ReadsOneWay(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject o && o.ToJsonString().Length > 0;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
