using CredentialVending.Common;
using CredentialVending.Issuing;
using CredentialVending.Tenants;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Issuing;

/// <summary>STS's own patterns, checked before the call: a value STS would refuse never reaches it.</summary>
public sealed class StsInputsTests
{
    [Theory]
    [InlineData("alice", true)]
    [InlineData("a.b+c=d,e@f-g_h", true)]
    [InlineData("ab", true)]
    [InlineData("a", false)]
    [InlineData("alice\n", false)]
    [InlineData("alice bob", false)]
    [InlineData("alice:bob", false)]
    [InlineData("ålice", false)]
    [InlineData("", false)]
    public void A_source_identity_fits_only_stss_pattern(string value, bool fits) =>
        Assert.Equal(fits, StsInputs.FitsSessionName(value));

    [Fact]
    public void A_source_identity_fits_at_64_characters_and_not_at_65()
    {
        Assert.True(StsInputs.FitsSessionName(new string('a', 64)));
        Assert.False(StsInputs.FitsSessionName(new string('a', 65)));
    }

    [Theory]
    [InlineData("acme", true)]
    [InlineData("", true)]
    [InlineData("Zoë and 42 / a:b=c+d-e@f_g.h", true)]
    [InlineData("alice\n", false)]
    [InlineData("a,b", false)]
    [InlineData("a*b", false)]
    [InlineData("a\tb", false)]
    public void A_tag_value_fits_only_stss_pattern(string value, bool fits) =>
        Assert.Equal(fits, StsInputs.FitsTagValue(value));

    [Theory]
    [InlineData("tenant", true)]
    [InlineData("", false)]
    [InlineData("tenant\n", false)]
    [InlineData("a,b", false)]
    public void A_tag_key_fits_only_stss_pattern(string value, bool fits) =>
        Assert.Equal(fits, StsInputs.FitsTagKey(value));

    [Theory]
    [InlineData("acme-7f3c", true)]
    [InlineData("a:b/c", true)]
    [InlineData("a", false)]
    [InlineData("acme-7f3c\n", false)]
    [InlineData("acme 7f3c", false)]
    public void An_external_id_fits_only_stss_pattern(string value, bool fits) =>
        Assert.Equal(fits, StsInputs.FitsExternalId(value));

    [Fact]
    public void A_request_within_every_limit_passes()
    {
        Assert.Null(StsInputs.Check(StsHarness.AssumeRole()));
    }

    [Fact]
    public void A_tag_value_stss_pattern_refuses_is_unusable_claim_naming_the_tag_not_the_value()
    {
        var refusal = StsInputs.Check(StsHarness.AssumeRole(tags: [new("tenant", "acme"), new("subject", "alice,admin")]));

        Assert.Equal(Codes.UnusableClaim, refusal?.Code);
        Assert.Contains("subject", refusal!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("alice,admin", refusal.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string> SetupProblems => ["tag key", "tag count", "tag case", "session name", "duration", "policy", "external id", "source identity", "token"];

    [Theory]
    [MemberData(nameof(SetupProblems))]
    public void A_value_from_the_tenants_setup_that_sts_refuses_is_issuance_failed(string problem)
    {
        var request = StsHarness.AssumeRole();
        request = problem switch
        {
            "tag key" => request with { Tags = [new("tenant\n", "acme")] },
            "tag count" => request with { Tags = [.. Enumerable.Range(0, 51).Select(i => new KeyValuePair<string, string>($"k{i}", "v"))] },
            "tag case" => request with { Tags = [new("tenant", "acme"), new("Tenant", "acme")] },
            "session name" => request with { SessionName = "01JDQ3ZV7W5K8Q4T0N9B2XG6AC\n" },
            "duration" => request with { DurationSeconds = 43201 },
            "policy" => request with { PolicyJson = new string(' ', 2049) },
            "external id" => request with { ExternalId = "acme\n" },
            "source identity" => request with { SourceIdentity = "alice\n" },
            _ => request with { Mode = IssuanceMode.WebIdentity, WebIdentityToken = "abc" },
        };

        Assert.Equal(Codes.IssuanceFailed, StsInputs.Check(request)?.Code);
    }

    [Fact]
    public async Task A_request_sts_would_refuse_is_answered_without_calling_sts()
    {
        await using var sts = await StsHarness.StartAsync();

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole(tags: [new("subject", "alice\n")]), CancellationToken.None);

        Assert.Equal(Codes.UnusableClaim, outcome.Refusal?.Code);
        Assert.Empty(sts.East.Calls);
        Assert.Empty(sts.West.Calls);
    }
}
