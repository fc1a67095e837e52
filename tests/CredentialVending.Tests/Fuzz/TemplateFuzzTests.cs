using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Scoping;
using FsCheck;
using FsCheck.Fluent;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Fuzz;

/// <summary>
/// The template renderer with arbitrary document templates and arbitrary claims (Scoping/SessionRendererProperties
/// holds one template fixed): a template the reader takes always renders without throwing, to JSON of the same shape,
/// where every literal part is left as written and every variable became 1 to 64 safe characters; or it is refused
/// <c>unusable_claim</c> (or <c>invalid_scope</c> when too large). CREDVEND_FUZZ_RUNS sets the cases.
/// </summary>
[Trait("Category", "Soak")]
public sealed class TemplateFuzzTests
{
    private const string Safe = "[A-Za-z0-9_.@+=,-]{1,64}";

    // Mostly what templates are made of, so that most documents are taken and rendered; now and then what breaks them.
    private static readonly Gen<string> Fragment = Gen.Frequency(
        (24, Gen.Elements(
            "arn:aws:s3:::acme-data/", "/", "*", "?", "-", "x", "${aws:PrincipalTag/tenant}", "{{tenant}}", "{{subject}}", "{{claim:org}}",
            "{{claim:https://example.com/roles}}", "{{claim:missing}}", "${aws:username}", ":", "home", "=", "@")),
        (1, Gen.Elements("{{", "}}", "{", "}", "{{claim:}}", "{{ tenant }}", "{{claim:a}b}}", "{{{{tenant}}}}", "{{claim:org", "${", "$", "\\", "\"", "\u0000", "\u2028")),
        (1, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)));

    private static readonly Gen<string> Text = Fragment.ListOf().Select(parts => string.Concat(parts.Take(6)));

    // STS takes fewer characters in a tag value than a policy takes: no * ? $ { }.
    private static readonly Gen<string> TagText = Gen.Frequency(
        (12, Gen.Elements("x", "-", "/", ":", " ", "=", "@", "+", "{{tenant}}", "{{subject}}", "{{claim:org}}")),
        (1, Fragment))
        .ListOf().Select(parts => string.Concat(parts.Take(4)));

    private static readonly Gen<string> Claim = Gen.Frequency(
        (8, Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+=-".ToCharArray()).ArrayOf().Where(c => c.Length is >= 1 and <= 64).Select(c => new string(c))),
        (1, Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+=,-".ToCharArray()).ArrayOf().Select(c => new string(c))),
        (2, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)),
        (1, Gen.Elements("alice", "${aws:username}", "*", "../x", "a\n", new string('a', 64), new string('a', 65), "}}", "{{tenant}}")));

    [Fact]
    public async Task Any_template_the_reader_takes_renders_literally_with_only_safe_values_put_in()
    {
        var cases =
            from resource in Text
            from condition in Text
            from tag in TagText
            from subject in Claim
            from org in Claim
            select (Resource: resource, Condition: condition, Tag: tag, Subject: subject, Org: org);

        await Task.Run(() => Check.One(FuzzRuns.Config(500), Prop.ForAll(Arb.From(cases), c => Renders(c.Resource, c.Condition, c.Tag, c.Subject, c.Org))));
    }

    private static Property Renders(string resource, string condition, string tag, string subject, string org)
    {
        var statements = JsonSerializer.Serialize(new object[]
        {
            new Dictionary<string, object>
            {
                ["Effect"] = "Allow",
                ["Action"] = new[] { "s3:GetObject" },
                ["Resource"] = new[] { "arn:aws:s3:::acme-data/{{tenant}}/" + resource },
                ["Condition"] = new Dictionary<string, object> { ["StringLike"] = new Dictionary<string, string> { ["s3:prefix"] = condition } },
            },
        });
        var read = ReadStored(Edit("sessionTags", JsonSerializer.Serialize(new { who = tag }), Edit("scopes", $$"""{ "only": { "statements": {{statements}} } }""", Edit("defaultScopes", null))));
        if (read.IsRefused)
        {
            return Prop.Classify(Prop.Label(read.Refusal!.Code is Codes.InvalidTenant or Codes.InvalidRequest, "the reader refused with " + read.Refusal.Code), true, "not a template the reader takes");
        }

        var tenant = read.Value!;
        var claims = new ClaimSet(new Dictionary<string, JsonElement>
        {
            ["org"] = JsonSerializer.SerializeToElement(org),
            ["https://example.com/roles"] = JsonSerializer.SerializeToElement(org),
        });
        var outcome = SessionRenderer.Render(tenant, tenant.Scopes, subject, claims);
        if (outcome.IsRefused)
        {
            return Prop.Classify(Prop.Label(outcome.Refusal!.Code is Codes.UnusableClaim or Codes.InvalidScope, "refused with " + outcome.Refusal.Code), true, "refused");
        }

        using var policy = JsonDocument.Parse(outcome.Value!.PolicyJson);
        var statement = Assert.Single(policy.RootElement.GetProperty("Statement").EnumerateArray());
        var rendered = statement.GetProperty("Resource").EnumerateArray().Single().GetString()!;
        var prefix = statement.GetProperty("Condition").GetProperty("StringLike").GetProperty("s3:prefix").GetString()!;
        var tagValue = Assert.Single(outcome.Value.Tags).Value;
        return Prop.Classify(Prop.Label(
            Matches("arn:aws:s3:::acme-data/{{tenant}}/" + resource, rendered) && Matches(condition, prefix) && Matches(tag, tagValue) && rendered.StartsWith("arn:aws:s3:::acme-data/acme/", StringComparison.Ordinal),
            $"rendered {rendered} | {prefix} | {tagValue}"), true, "rendered");
    }

    /// <summary>Whether <paramref name="rendered"/> is <paramref name="template"/> with each variable replaced by a safe value, and nothing else changed.</summary>
    private static bool Matches(string template, string rendered)
    {
        var pattern = new StringBuilder("^");
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf("{{", at, StringComparison.Ordinal);
            var close = open < 0 ? -1 : template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (open < 0 || close < 0)
            {
                pattern.Append(Regex.Escape(template[at..]));
                break;
            }

            pattern.Append(Regex.Escape(template[at..open])).Append(Safe);
            at = close + 2;
        }

        return Regex.IsMatch(rendered, pattern.Append(@"\z").ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
    }
}
