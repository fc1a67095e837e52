using System.Globalization;
using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// docs/api.md "Template variables": a subject or a {{claim:NAME}} value with any character outside
/// <c>[A-Za-z0-9_.@+=,-]</c>, or longer than 64, or missing, is 403 <c>unusable_claim</c>: refused, never escaped or
/// trimmed, never echoed, nothing issued and nothing written.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class HostileClaimTests(LocalCloud cloud)
{
    /// <summary>Every ASCII character a policy must not take, every control character, and some that only look harmless.</summary>
    public static IEnumerable<char> Unsafe =>
        "*?${}/\"\\ '[]():;#%&<>|^~!`\u00a0\u0085\u2028\u2029\ufeff\u00e9\uff0a\u0130"
            .Concat(Enumerable.Range(0, 32).Select(c => (char)c))
            .Append('\u007f');

    private static readonly string[] Hostile =
    [
        "${aws:username}", "*", "alice/*", "../bob", "\"},{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*", "alice\n",
        "{{tenant}}", "arn:aws:s3:::other-bucket", new string('a', 65), string.Empty,
    ];

    [Fact]
    public async Task A_subject_with_any_unsafe_character_is_403_unusable_claim_and_nothing_is_issued()
    {
        var tenant = await cloud.OnboardAsync();

        // A comma is safe in a policy, but STS refuses it in the subject's session tag.
        foreach (var subject in Unsafe.Append(',').Select(c => $"ali{c}ce").Concat(Hostile.Where(h => h.Length > 0)))
        {
            var answer = await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(tenant, subject)), 403, "unusable_claim", Show(subject));
            Assert.DoesNotContain(subject, answer.Json.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_claim_used_in_a_statement_with_any_unsafe_character_is_403_unusable_claim_and_nothing_is_issued()
    {
        var tenant = await OnboardWithOrgClaimAsync();

        foreach (var org in Unsafe.Select(c => $"ac{c}me").Concat(Hostile))
        {
            var token = cloud.Token(tenant, "alice", claims: c => c["org"] = org);
            var answer = await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, token), 403, "unusable_claim", Show(org));
            Assert.Contains("{{claim:org}}", answer.Json.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("number")]
    [InlineData("array")]
    [InlineData("object")]
    [InlineData("null")]
    public async Task A_claim_used_in_a_statement_that_is_missing_or_not_a_string_is_403_unusable_claim(string shape)
    {
        var tenant = await OnboardWithOrgClaimAsync();
        var token = cloud.Token(tenant, "alice", claims: c =>
        {
            object? value = shape switch { "number" => 42, "array" => new[] { "acme" }, "object" => new Dictionary<string, string> { ["id"] = "acme" }, _ => null };
            if (value is not null || shape == "null")
            {
                c["org"] = value!;
            }
        });

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, token), 403, "unusable_claim");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Org_1.example@corp+x=y,z-w")]
    [InlineData("sixty-four-characters-long-value-000000000000000000000000000000")]
    public async Task A_claim_of_safe_characters_up_to_64_long_lands_in_the_policy_as_it_is(string org)
    {
        Assert.InRange(org.Length, 1, 64);
        var tenant = await OnboardWithOrgClaimAsync();

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant, "alice", claims: c => c["org"] = org)));

        Assert.True(answer.Status == 200, answer.ToString());
        var call = Assert.Single(cloud.Sts.Calls, c => c.RoleSessionName == answer.Json.GetProperty("leaseId").GetString());
        Assert.Contains($"arn:aws:s3:::acme-data/{tenant}/{org}/alice/*", call.Policy, StringComparison.Ordinal);
        await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
    }

    [Fact]
    public async Task A_subject_at_the_ledgers_key_limit_is_issued_and_one_byte_more_is_403_unusable_claim_before_sts()
    {
        // The subject stands in no statement and no tag here, so only the ledger's key (tenant#subject, at most 2,048
        // bytes of UTF-8) bounds it; two-byte characters show the limit counts bytes, not characters.
        var tenant = await cloud.OnboardAsync(change: d =>
        {
            d["scopes"]!["files:read"]!["statements"]![0]!["Resource"] = new JsonArray("arn:aws:s3:::acme-data/{{tenant}}/*");
            d["scopes"]!.AsObject().Remove("files:write");
            d["sessionTags"] = new JsonObject { ["tenant"] = "{{tenant}}" };
        });
        var room = 2048 - tenant.Length - 1;
        var fits = string.Concat(Enumerable.Repeat("\u00e9", room / 2)) + (room % 2 == 1 ? "a" : string.Empty);
        Assert.Equal(room, System.Text.Encoding.UTF8.GetByteCount(fits));

        var issued = await cloud.SendSeenAsync(Requests.Vend(tenant, cloud.Token(tenant, fits)));
        Assert.True(issued.Status == 200, issued.ToString());
        Assert.Null(Assert.Single(cloud.Sts.Calls, c => c.RoleSessionName == issued.Json.GetProperty("leaseId").GetString()).SourceIdentity);
        await cloud.AssertHoldsExactlyAsync(tenant, [issued]);

        var refusedTenant = await cloud.OnboardAsync(change: d =>
        {
            d["scopes"]!["files:read"]!["statements"]![0]!["Resource"] = new JsonArray("arn:aws:s3:::acme-data/{{tenant}}/*");
            d["scopes"]!.AsObject().Remove("files:write");
            d["sessionTags"] = new JsonObject { ["tenant"] = "{{tenant}}" };
        });
        var answer = await cloud.AssertRefusedAsync(refusedTenant, Requests.Vend(refusedTenant, cloud.Token(refusedTenant, fits + "a")), 403, "unusable_claim", "a subject one byte over the ledger's key limit");
        Assert.Contains("2048", answer.Json.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);

    private Task<string> OnboardWithOrgClaimAsync() => cloud.OnboardAsync(change: d =>
        d["scopes"]!["files:read"]!["statements"]![0]!["Resource"] = new JsonArray("arn:aws:s3:::acme-data/{{tenant}}/{{claim:org}}/{{subject}}/*"));

    private static string Show(string value) =>
        string.Concat(value.Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}")));
}
