using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Scoping;
using CredentialVending.Tenants;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Scoping;

/// <summary>Whatever a token says, a claim either is refused or lands inside the tenant's resource prefix.</summary>
public class SessionRendererProperties
{
    private const string Prefix = "arn:aws:s3:::acme-data/";
    private const string SafeCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+=,-";

    private static readonly TenantDocument Tenant = WithStatements(
        """
        [ { "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": ["arn:aws:s3:::acme-data/{{tenant}}/{{subject}}/*", "arn:aws:s3:::acme-data/{{claim:org}}/shared/*"] },
          { "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::acme-data/{{tenant}}-{{claim:org}}",
            "Condition": { "StringLike": { "s3:prefix": "{{subject}}/*" } } },
          { "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::acme-data/{{subject}}" } ]
        """,
        """{ "who": "{{subject}}", "org": "org-{{claim:org}}" }""");

    // Half the values are safe, so both branches (refused, rendered) are exercised often.
    private static readonly Gen<string> Hostile = Gen.Frequency(
        (3, Gen.Elements([.. SafeCharacters.ToCharArray()]).ArrayOf().Where(c => c.Length is >= 1 and <= 64).Select(c => new string(c))),
        (1, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)),
        (1, Gen.Elements([.. (SafeCharacters + "*?${}/\"\\ :\n\r\t\u0000\u007f\u00e9\u2028").ToCharArray()]).ArrayOf().Select(c => new string(c))),
        (1, Gen.Elements(
            "alice",
            "${aws:username}",
            "\"},{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*",
            "../other-tenant",
            "*",
            "a\n",
            new string('a', 64),
            new string('a', 65))));

    [Property(MaxTest = 1000)]
    public Property Any_subject_and_claim_is_refused_or_stays_inside_the_tenant_prefix() =>
        Prop.ForAll(Arb.From(Hostile), Arb.From(Hostile), (subject, org) =>
        {
            var claims = new ClaimSet(new Dictionary<string, JsonElement> { ["org"] = JsonSerializer.SerializeToElement(org) });
            var outcome = SessionRenderer.Render(Tenant, Tenant.Scopes, subject, claims);

            // Tags refuse the comma a policy allows, so either value with one is refused too.
            var expectRefusal = !IsSafe(subject) || !IsSafe(org) || subject.Contains(',', StringComparison.Ordinal) || org.Contains(',', StringComparison.Ordinal);
            if (outcome.IsRefused)
            {
                return Prop.Classify(expectRefusal && outcome.Refusal!.Code == Codes.UnusableClaim, true, "refused");
            }

            using var policy = JsonDocument.Parse(outcome.Value!.PolicyJson);
            var statements = policy.RootElement.GetProperty("Statement").EnumerateArray().ToArray();
            var resources = statements.SelectMany(s => Strings(s.GetProperty("Resource"))).ToArray();
            var inside = !expectRefusal
                && statements.Length == 3
                && resources.Length == 4
                && resources.All(r => r.StartsWith(Prefix, StringComparison.Ordinal))
                && resources[0] == $"{Prefix}acme/{subject}/*"
                && outcome.Value.Tags.Select(t => t.Value).SequenceEqual([subject, $"org-{org}"]);
            return Prop.Classify(inside, true, "rendered");
        });

    [Property(MaxTest = 300)]
    public Property A_claim_that_is_not_a_string_is_always_refused() =>
        Prop.ForAll(Arb.From(Gen.Elements("42", "true", "null", "[\"a\"]", "{\"a\":\"b\"}", "1.5e3", "[]")), json =>
        {
            var claims = new ClaimSet(new Dictionary<string, JsonElement> { ["org"] = JsonDocument.Parse(json).RootElement });
            return SessionRenderer.Render(Tenant, Tenant.Scopes, "alice", claims).Refusal?.Code == Codes.UnusableClaim;
        });

    [Property(MaxTest = 500)]
    public Property Rendering_any_text_never_throws_and_leaves_text_without_variables_alone() =>
        Prop.ForAll(Arb.From(ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)), text =>
        {
            var rendered = Template.TryRender(text, _ => "v", out var result, out _);
            return text.Contains("{{", StringComparison.Ordinal) || (rendered && result == text);
        });

    private static bool IsSafe(string value) =>
        value.Length is >= 1 and <= Template.MaxValueLength && value.All(c => SafeCharacters.Contains(c, StringComparison.Ordinal));

    private static IEnumerable<string> Strings(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString()!) : [value.GetString()!];
}
