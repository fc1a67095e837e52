using CredentialVending.Common;
using CredentialVending.Vending;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Vending;

/// <summary>
/// What a vend (and the admin preview) plans before STS: the scopes, the duration, the session policy and tags, in
/// docs/api.md's order, so the first problem a caller can fix is the one answered.
/// </summary>
public sealed class SessionPlannerTests
{
    private const string ReadPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::acme-data/acme/alice/*"]}]}""";
    private static readonly string Editor = """{"sub":"alice","cognito:groups":["editors"]}""";

    [Fact]
    public void Without_scopes_or_duration_the_plan_is_the_default_scopes_for_the_default_duration()
    {
        var plan = SessionPlanner.Plan(Valid(), "alice", Claims(Editor), null, null).Value!;

        Assert.Equal(["files:read"], plan.Scopes.Select(s => s.Name));
        Assert.Equal(900, plan.DurationSeconds);
        Assert.Equal(ReadPolicy, plan.Session.PolicyJson);
        Assert.Equal([new("tenant", "acme"), new("subject", "alice")], plan.Session.Tags);
    }

    [Fact]
    public void Scopes_asked_in_any_order_are_planned_in_the_document_order_into_one_policy()
    {
        var plan = SessionPlanner.Plan(Valid(), "alice", Claims(Editor), ["files:write", "files:read", "files:write"], 1800).Value!;

        Assert.Equal(["files:read", "files:write"], plan.Scopes.Select(s => s.Name));
        Assert.Equal(1800, plan.DurationSeconds);
        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::acme-data/acme/alice/*"]},{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::acme-data/acme/alice/*"]}]}""",
            plan.Session.PolicyJson);
    }

    [Fact]
    public void The_tenant_default_duration_is_used_when_the_request_names_none()
    {
        var tenant = Valid(Edit("issuance/defaultDurationSeconds", "2700"));

        Assert.Equal(2700, SessionPlanner.Plan(tenant, "alice", Claims(Editor), null, null).Value!.DurationSeconds);
    }

    [Theory]
    [InlineData(899, false)]
    [InlineData(900, true)]
    [InlineData(3600, true)]
    [InlineData(3601, false)]
    [InlineData(0, false)]
    [InlineData(-900, false)]
    [InlineData(int.MaxValue, false)]
    public void A_duration_outside_900_to_the_tenant_maximum_is_invalid_duration_naming_the_range(int seconds, bool planned)
    {
        var plan = SessionPlanner.Plan(Valid(), "alice", Claims(Editor), null, seconds);

        Assert.Equal(planned, !plan.IsRefused);
        if (!planned)
        {
            Assert.Equal(Codes.InvalidDuration, plan.Refusal!.Code);
            Assert.Equal("durationSeconds must be between 900 and 3600 for this tenant.", plan.Refusal.Detail);
        }
    }

    [Fact]
    public void The_tenant_maximum_is_its_own()
    {
        var tenant = Valid(Edit("issuance/maxDurationSeconds", "7200"));

        Assert.Equal(7200, SessionPlanner.Plan(tenant, "alice", Claims(Editor), null, 7200).Value!.DurationSeconds);
        Assert.Contains("between 900 and 7200", SessionPlanner.Plan(tenant, "alice", Claims(Editor), null, 7201).Refusal!.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]?, int?, string, string> Refusals => new()
    {
        { "an unknown scope", ["files:nope"], null, Editor, Codes.InvalidScope },
        { "a scope the caller does not hold", ["files:write"], null, """{"sub":"alice"}""", Codes.ScopeNotPermitted },
        { "an unknown scope before a bad duration", ["files:nope"], 10, Editor, Codes.InvalidScope },
        { "a scope not held before a bad duration", ["files:write"], 10, """{"sub":"alice"}""", Codes.ScopeNotPermitted },
        { "an unknown scope before one not held", ["files:write", "files:nope"], null, """{"sub":"alice"}""", Codes.InvalidScope },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void The_scopes_are_checked_first(string why, string[]? scopes, int? duration, string claims, string code)
    {
        var plan = SessionPlanner.Plan(Valid(), "alice", Claims(claims), scopes, duration);

        Assert.True(code == plan.Refusal?.Code, $"{why}: {plan.Refusal?.Code}");
    }

    [Fact]
    public void A_tenant_without_default_scopes_refuses_a_request_that_names_none()
    {
        var tenant = Valid(Edit("defaultScopes", null));

        var refusal = SessionPlanner.Plan(tenant, "alice", Claims(Editor), [], null).Refusal;

        Assert.Equal(Codes.InvalidScope, refusal?.Code);
        Assert.Contains("defaultScopes", refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_duration_is_checked_before_the_policy_is_rendered()
    {
        var tenant = WithStatements("""[ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/{{tenant}}/{{claim:org}}/*" } ]""");

        var badDuration = SessionPlanner.Plan(tenant, "alice", Claims("{}"), ["only"], 10).Refusal;
        var unusable = SessionPlanner.Plan(tenant, "alice", Claims("{}"), ["only"], null).Refusal;

        Assert.Equal(Codes.InvalidDuration, badDuration?.Code);
        Assert.Equal(Codes.UnusableClaim, unusable?.Code);
    }

    [Fact]
    public void A_subject_a_policy_cannot_hold_is_refused_as_unusable_without_echoing_it()
    {
        var refusal = SessionPlanner.Plan(Valid(), "alice/../bob", Claims(Editor), null, null).Refusal;

        Assert.Equal(Codes.UnusableClaim, refusal?.Code);
        Assert.DoesNotContain("alice/../bob", refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_request_always_plans_the_same_session()
    {
        var first = SessionPlanner.Plan(Valid(), "alice", Claims(Editor), ["files:write", "files:read"], null).Value!;
        var second = SessionPlanner.Plan(Valid(), "alice", Claims(Editor), ["files:read", "files:write"], null).Value!;

        Assert.Equal(first.Session.PolicyJson, second.Session.PolicyJson);
        Assert.Equal(first.Session.Tags, second.Session.Tags);
    }
}
