using CredentialVending.Common;
using CredentialVending.Local.Sts;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Issuing;

/// <summary>STS answers nobody can use: passed over for the next endpoint, 503 when every endpoint garbles, never thrown raw.</summary>
public sealed class StsGarbledAnswerTests
{
    public static TheoryData<StsFault> Garbled =>
        [StsFault.TruncatedXml, StsFault.Html, StsFault.EmptyBody, StsFault.NoCredentials, StsFault.BadExpiration, StsFault.BadAccessKeyId, StsFault.UnreadableNumber];

    [Theory]
    [MemberData(nameof(Garbled))]
    public async Task A_garbled_answer_from_the_first_endpoint_is_passed_over_for_the_second(StsFault garble)
    {
        await using var sts = await StsHarness.StartAsync();
        sts.East.Faults.Current = garble;

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
        Assert.Equal("us-west-2", outcome.Value!.Region);
        Assert.StartsWith("ASIA", outcome.Value.AccessKeyId, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Garbled))]
    public async Task Every_endpoint_garbling_is_unavailable_naming_no_answer_text(StsFault garble)
    {
        await using var sts = await StsHarness.StartAsync();
        sts.East.Faults.Current = garble;
        sts.West.Faults.Current = garble;

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => sts.Issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None));

        Assert.DoesNotContain("sign in", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("soon", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_code_no_rule_maps_is_issuance_failed_without_stss_message()
    {
        await using var sts = await StsHarness.StartAsync();
        sts.East.Faults.Current = StsFault.UnmappedError;

        var outcome = await sts.Issuer.IssueAsync(StsHarness.AssumeRole(), CancellationToken.None);

        Assert.Equal(Codes.IssuanceFailed, outcome.Refusal?.Code);
        Assert.Contains("UnheardOfException", outcome.Refusal!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("private-admin", outcome.Refusal.Detail, StringComparison.Ordinal);
        Assert.Empty(sts.West.Calls);
    }
}
