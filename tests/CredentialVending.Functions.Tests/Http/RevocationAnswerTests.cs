using System.Text.Json;
using CredentialVending.Functions;
using CredentialVending.Functions.Http;
using CredentialVending.Revocation;

namespace CredentialVending.Functions.Tests.Http;

/// <summary>The 202 answer and the listed record, as a client reads their JSON: <c>leasesIncomplete</c> only when true.</summary>
public sealed class RevocationAnswerTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_revocation_that_marked_every_lease_has_no_leasesIncomplete_and_no_detail()
    {
        var answer = Answer(Record(incomplete: false, merged: false));

        Assert.False(answer.TryGetProperty("leasesIncomplete", out _));
        Assert.False(answer.TryGetProperty("detail", out _));
        Assert.Equal(450, answer.GetProperty("leasesRevoked").GetInt32());
    }

    [Fact]
    public void A_revocation_whose_marking_ran_out_says_so_with_the_count_it_marked()
    {
        var answer = Answer(Record(incomplete: true, merged: false));

        Assert.True(answer.GetProperty("leasesIncomplete").GetBoolean());
        Assert.Contains("450 live leases were marked", answer.GetProperty("detail").GetString());
        Assert.True(Listed(Record(incomplete: true, merged: false)).GetProperty("leasesIncomplete").GetBoolean());
    }

    [Fact]
    public void Merged_and_incomplete_are_both_told_in_the_detail()
    {
        var detail = Answer(Record(incomplete: true, merged: true)).GetProperty("detail").GetString()!;

        Assert.Contains("merged into one deny", detail);
        Assert.Contains("stay unmarked", detail);
    }

    private static RevocationRecord Record(bool incomplete, bool merged) => new()
    {
        RevocationId = "01JDQ3ZV7W5K8Q4T0N9B2X0001",
        TenantId = "acme",
        Target = RevocationTarget.All,
        RoleArn = "arn:aws:iam::123456789012:role/tenant-acme",
        NotBefore = At,
        ExpiresAt = At.AddHours(1),
        RevokedAt = At,
        RevokedBy = "arn:aws:iam::123456789012:role/ops",
        Merged = merged,
        LeasesRevoked = 450,
        LeasesIncomplete = incomplete,
    };

    private static JsonElement Answer(RevocationRecord record) =>
        JsonDocument.Parse(JsonSerializer.Serialize(RevocationView.From(record), FunctionsJsonContext.Default.RevocationView)).RootElement;

    private static JsonElement Listed(RevocationRecord record) =>
        JsonDocument.Parse(JsonSerializer.Serialize(RevocationRecordView.From(record), FunctionsJsonContext.Default.RevocationRecordView)).RootElement;
}
