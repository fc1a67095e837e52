using CredentialVending.Common;
using CredentialVending.Scoping;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Scoping;

public class ScopeSelectorTests
{
    private static readonly string Editor = """{ "sub": "alice", "cognito:groups": ["editors", "staff"] }""";
    private static readonly string Viewer = """{ "sub": "bob", "cognito:groups": "viewers staff" }""";

    [Theory]
    [InlineData(null, "files:read")]
    [InlineData("", "files:read")]
    [InlineData("files:read", "files:read")]
    [InlineData("files:write", "files:write")]
    [InlineData("files:write,files:read", "files:read,files:write")]
    [InlineData("files:read,files:write,files:read", "files:read,files:write")]
    public void An_editor_gets_the_scopes_asked_for_in_document_order(string? asked, string expected)
    {
        var requested = asked is null ? null : asked.Split(',', StringSplitOptions.RemoveEmptyEntries);

        var outcome = ScopeSelector.Select(Valid(), requested, Claims(Editor));

        Assert.Null(outcome.Refusal);
        Assert.Equal(expected.Split(','), outcome.Value!.Select(s => s.Name));
    }

    [Theory]
    [InlineData("files:delete", Codes.InvalidScope)]
    [InlineData("files:read,nope", Codes.InvalidScope)]
    [InlineData("files:write,nope", Codes.InvalidScope)]
    [InlineData("FILES:READ", Codes.InvalidScope)]
    [InlineData("files:write", Codes.ScopeNotPermitted)]
    [InlineData("files:read,files:write", Codes.ScopeNotPermitted)]
    public void A_viewer_is_refused_unknown_and_unheld_scopes(string asked, string code) =>
        Assert.Equal(code, ScopeSelector.Select(Valid(), asked.Split(','), Claims(Viewer)).Refusal?.Code);

    [Fact]
    public void A_space_separated_claim_holds_a_rule() =>
        Assert.Null(ScopeSelector.Select(Valid(), ["files:write"], Claims("""{ "cognito:groups": "staff editors" }""")).Refusal);

    [Fact]
    public void A_caller_without_the_rule_claim_holds_only_open_scopes()
    {
        Assert.Null(ScopeSelector.Select(Valid(), ["files:read"], Claims("{}")).Refusal);
        Assert.Equal(Codes.ScopeNotPermitted, ScopeSelector.Select(Valid(), ["files:write"], Claims("{}")).Refusal?.Code);
    }

    [Fact]
    public void No_scopes_asked_of_a_tenant_without_defaults_is_an_invalid_scope()
    {
        var refusal = ScopeSelector.Select(Valid(Edit("defaultScopes", null)), [], Claims(Editor)).Refusal;

        Assert.Equal(Codes.InvalidScope, refusal?.Code);
        Assert.StartsWith("name the scopes", refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_scopes_are_held_to_the_rules_of_scopes_asked_for()
    {
        var tenant = Valid(Edit("defaultScopes", "[\"files:write\"]"));

        Assert.Equal(Codes.ScopeNotPermitted, ScopeSelector.Select(tenant, null, Claims(Viewer)).Refusal?.Code);
    }

    [Fact]
    public void An_unknown_name_is_repeated_only_when_shaped_like_a_scope_name()
    {
        Assert.Contains("files:delete", ScopeSelector.Select(Valid(), ["files:delete"], Claims(Editor)).Refusal!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", ScopeSelector.Select(Valid(), ["<script>"], Claims(Editor)).Refusal!.Detail, StringComparison.Ordinal);
    }
}
