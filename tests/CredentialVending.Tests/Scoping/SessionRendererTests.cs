using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Scoping;
using CredentialVending.Tenants;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Scoping;

public class SessionRendererTests
{
    private const string ClaimStatement = """
        [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/{{tenant}}/{{claim:org}}/*" } ]
        """;

    private static Outcome<RenderedSession> Render(string subject, string claimsJson, string statements = ClaimStatement, string tags = "{}")
    {
        var tenant = WithStatements(statements, tags);
        return SessionRenderer.Render(tenant, tenant.Scopes, subject, Claims(claimsJson));
    }

    [Fact]
    public void The_example_renders_tenant_and_subject_into_policy_and_tags()
    {
        var tenant = Valid();

        var session = SessionRenderer.Render(tenant, tenant.Scopes, "alice", Claims("{}")).Value!;

        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::acme-data/acme/alice/*"]},{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::acme-data/acme/alice/*"]}]}""",
            session.PolicyJson);
        Assert.Equal([new("tenant", "acme"), new("subject", "alice")], session.Tags);
    }

    [Fact]
    public void A_string_claim_is_rendered_and_iam_variables_pass_untouched()
    {
        const string statements = """
            [ { "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
                "Condition": { "StringLike": { "s3:prefix": ["${aws:PrincipalTag/tenant}/{{claim:org}}/*"] }, "Bool": { "aws:SecureTransport": true } } } ]
            """;

        var session = Render("alice", """{ "org": "r+d=1.x@y.z_-" }""", statements, """{ "org": "org {{claim:org}}" }""").Value!;

        Assert.Contains("\"${aws:PrincipalTag/tenant}/r+d=1.x@y.z_-/*\"", session.PolicyJson, StringComparison.Ordinal);
        Assert.Contains("\"aws:SecureTransport\":true", session.PolicyJson, StringComparison.Ordinal);
        Assert.Equal([new("org", "org r+d=1.x@y.z_-")], session.Tags);
    }

    [Theory]
    [InlineData("a*")]
    [InlineData("a?")]
    [InlineData("$x")]
    [InlineData("{x")]
    [InlineData("x}")]
    [InlineData("a/b")]
    [InlineData("a\"b")]
    [InlineData("a\\b")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    [InlineData("alice\n")]
    [InlineData("a\tb")]
    [InlineData("a\u0000b")]
    [InlineData("a\u007fb")]
    [InlineData("caf\u00e9")]
    [InlineData("a:b")]
    [InlineData("")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void A_claim_with_a_character_a_policy_cannot_safely_hold_is_refused_without_echoing_it(string value)
    {
        var refusal = Render("alice", JsonSerializer.Serialize(new Dictionary<string, string> { ["org"] = value })).Refusal;

        Assert.Equal(Codes.UnusableClaim, refusal?.Code);
        Assert.Contains("{{claim:org}}", refusal!.Detail, StringComparison.Ordinal);
        Assert.True(value.Length == 0 || !refusal.Detail.Contains(value, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a*")]
    [InlineData("bob/../carol")]
    [InlineData("a\r\n")]
    public void A_subject_with_an_unsafe_character_is_refused_naming_the_variable(string subject)
    {
        var refusal = Render(subject, "{}", """[ { "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/{{subject}}" } ]""").Refusal;

        Assert.Equal(Codes.UnusableClaim, refusal?.Code);
        Assert.Contains("{{subject}}", refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsafe_subject_is_no_matter_when_no_template_uses_it() =>
        Assert.Null(Render("a b*", """{ "org": "x" }""").Refusal);

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "org": ["a", "b"] }""")]
    [InlineData("""{ "org": 42 }""")]
    [InlineData("""{ "org": null }""")]
    [InlineData("""{ "org": { "id": "a" } }""")]
    public void A_missing_or_non_string_claim_is_refused(string claims)
    {
        var refusal = Render("alice", claims).Refusal;

        Assert.Equal(Codes.UnusableClaim, refusal?.Code);
        Assert.Contains("no claim org", refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claim_escaping_a_lone_surrogate_is_refused_not_thrown() =>
        Assert.Equal(Codes.UnusableClaim, Render("alice", """{ "org": "a\ud800" }""").Refusal?.Code);

    [Fact]
    public void A_comma_is_refused_in_a_tag_though_allowed_in_a_policy()
    {
        Assert.Null(Render("alice", """{ "org": "a,b" }""").Refusal);

        var refusal = Render("alice", """{ "org": "a,b" }""", tags: """{ "org": "{{claim:org}}" }""").Refusal;

        Assert.Equal(Codes.UnusableClaim, refusal?.Code);
        Assert.Contains("session tag org", refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_of_exactly_2048_characters_passes_and_one_more_is_an_invalid_scope()
    {
        // Built past the reader, whose worst-case check would refuse this scope: the renderer must hold the limit by itself.
        var frame = RenderUnchecked("a", "{{subject}}");
        var filler = new string('r', PolicyWriter.MaxPolicyLength - frame.Value!.PolicyJson.Length + 1 - "alice".Length);

        var fits = RenderUnchecked("alice", filler + "{{subject}}");
        var over = RenderUnchecked("alicex", filler + "{{subject}}");

        Assert.Equal(PolicyWriter.MaxPolicyLength, fits.Value!.PolicyJson.Length);
        Assert.Equal(Codes.InvalidScope, over.Refusal?.Code);
        Assert.Contains("too large together", over.Refusal!.Detail, StringComparison.Ordinal);
    }

    private static Outcome<RenderedSession> RenderUnchecked(string subject, string resource)
    {
        var statement = JsonDocument.Parse(JsonSerializer.Serialize(new { Effect = "Allow", Action = "s3:*", Resource = resource })).RootElement;
        var tenant = Valid() with { Scopes = [new Scope { Name = "big", Statements = [statement] }], SessionTags = [] };
        return SessionRenderer.Render(tenant, tenant.Scopes, subject, Claims("{}"));
    }
}
