using System.Buffers.Text;
using System.Globalization;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace CredentialVending.Tests.Fuzz;

/// <summary>
/// The token front door under fuzzing: <see cref="BearerToken.Read"/> with any header at all, and
/// <see cref="TokenAuthenticator.AuthenticateAsync"/> with good tokens changed a little (a character, a segment, the
/// header's algorithm). Neither ever throws, and no changed token is ever accepted. CREDVEND_FUZZ_RUNS sets the cases.
/// </summary>
[Trait("Category", "Soak")]
public sealed class TokenFuzzTests
{
    private const string Base64UrlCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public async Task Any_authorization_header_at_all_is_checked_without_throwing()
    {
        var header = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>(),
            ArbMap.Default.GeneratorFor<string>().Select(s => "Bearer " + s),
            Gen.Elements("Bearer", "Bearer ", "bearer  a.b.c", "Bearer ...", "Bearer a.b.c.d.e", "Bearer \u0000.\u0000.\u0000", "Bearer e30.e30.", "Bearer =.=.="));

        var property = Prop.ForAll(Arb.From(header), h => BearerToken.Read(h).Refusal is null or { Code: Codes.InvalidToken });

        await Task.Run(() => Check.One(FuzzRuns.Config(1_000), property));
    }

    [Fact]
    public async Task A_good_token_changed_a_little_is_never_accepted_and_never_throws()
    {
        await using var h = await IdentityHarness.StartAsync();
        string[] originals = [h.Token("alice"), h.Token("alice", algorithm: "ES256"), h.Token("alice", algorithm: "PS256")];
        var other = h.Token("mallory");
        Assert.All(originals, t => Assert.False(h.AuthenticateAsync(t).GetAwaiter().GetResult().IsRefused));
        var change =
            from original in Gen.Elements(originals)
            from op in Gen.Choose(0, 8)
            from at in Gen.Choose(0, 100_000)
            from c in Gen.Elements((Base64UrlCharacters + ".=+/ \t\u0000\u00e9").ToCharArray())
            select (Original: original, Changed: Change(original, other, op, at, c));

        var property = Prop.ForAll(Arb.From(change), t =>
        {
            var outcome = Task.Run(() => h.AuthenticateAsync(t.Changed)).GetAwaiter().GetResult();
            return Prop.Label(!outcome.IsRefused ? SameToken(t.Original, t.Changed) : outcome.Refusal!.Code == Codes.InvalidToken, $"accepted or misrefused: {t.Changed}");
        });

        await Task.Run(() => Check.One(FuzzRuns.Config(500), property));
    }

    private static string Change(string token, string other, int op, int at, char c)
    {
        var i = at % token.Length;
        var parts = token.Split('.');
        var otherParts = other.Split('.');
        return op switch
        {
            0 => string.Concat(token.AsSpan(0, i), c.ToString(), token.AsSpan(i + 1)),
            1 => token.Remove(i, 1),
            2 => token.Insert(i, c.ToString()),
            3 => token[..i],
            // One segment of another good token of the same issuer, the rest of this one.
            4 => string.Join('.', parts.Select((p, n) => n == at % 3 ? otherParts[n] : p)),
            5 => string.Join('.', parts[1], parts[0], parts[2]),
            6 => string.Join('.', ReHeader(parts[0], at), parts[1], parts[2]),
            7 => token + "." + parts[2],
            _ => string.Join('.', parts[0], parts[1], string.Empty),
        };
    }

    /// <summary>The same header with another algorithm named in it (an HMAC, none, or a near miss of the real one).</summary>
    private static string ReHeader(string header, int pick)
    {
        string[] algorithms = ["none", "HS256", "HS512", "RS384", "rs256", "RS256 ", "ES256", "PS512", "RSA-OAEP", string.Empty];
        var json = System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(header));
        var alg = json.Split('"').SkipWhile(s => s != "alg").Skip(2).First();
        var changed = json.Replace($"\"{alg}\"", $"\"{algorithms[pick % algorithms.Length]}\"", StringComparison.Ordinal);
        return Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(changed));
    }

    /// <summary>
    /// Whether a change left the token what it was: the signed part as written, and the signature's bytes. The last
    /// character of a base64url signature carries bits no decoder reads, so a few changes there are no change at all.
    /// </summary>
    private static bool SameToken(string original, string changed)
    {
        var (a, b) = (original.Split('.'), changed.Split('.'));
        if (b.Length != 3 || a[0] != b[0] || a[1] != b[1])
        {
            return false;
        }

        try
        {
            return Base64Url.DecodeFromChars(a[2]).AsSpan().SequenceEqual(Base64Url.DecodeFromChars(b[2]));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>How many cases a fuzz test runs: CREDVEND_FUZZ_RUNS (the soak run), else the short run's count.</summary>
internal static class FuzzRuns
{
    public static int Count(int shortRun) =>
        int.TryParse(Environment.GetEnvironmentVariable("CREDVEND_FUZZ_RUNS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : shortRun;

    public static Config Config(int shortRun) => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(Count(shortRun)).WithQuietOnSuccess(Environment.GetEnvironmentVariable("CREDVEND_FUZZ_VERBOSE") is null);
}
