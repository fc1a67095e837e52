using System.Text.Json;
using CredentialVending.Revocation;

namespace CredentialVending.Tests.Revocation;

public sealed class RevocationPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private const string LeaseId = "01JDQ3ZV7W5K8Q4T0N9B2XG6AC";

    public static TheoryData<string, string> Conditions => new()
    {
        { "lease", """{"StringLike":{"aws:userid":["*:01JDQ3ZV7W5K8Q4T0N9B2XG6AC"]}}""" },
        { "sourceIdentity", """{"StringEquals":{"aws:SourceIdentity":"alice"},"DateLessThan":{"aws:TokenIssueTime":"2026-12-01T12:00:00Z"}}""" },
        { "subjectTag", """{"StringEquals":{"aws:PrincipalTag/subject":"alice"},"DateLessThan":{"aws:TokenIssueTime":"2026-12-01T12:00:00Z"}}""" },
        { "tenant", """{"DateLessThan":{"aws:TokenIssueTime":"2026-12-01T12:00:00Z"}}""" },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Each_target_is_a_deny_of_every_action_with_the_contracts_condition(string target, string condition)
    {
        var entry = Entry(target, Now.AddHours(1));

        var statement = Statements(RevocationPolicy.Render([entry]))[0];

        Assert.Equal("Deny", statement.GetProperty("Effect").GetString());
        Assert.Equal("*", statement.GetProperty("Action").GetString());
        Assert.Equal("*", statement.GetProperty("Resource").GetString());
        Assert.Equal(condition, statement.GetProperty("Condition").GetRawText());
    }

    [Fact]
    public void An_entry_past_its_expiry_is_dropped_by_the_next_write()
    {
        var old = RevocationEntry.ForLease("R1", LeaseId, Now, Now.AddMinutes(15));
        var fresh = RevocationEntry.ForLease("R2", "01JDQ3ZV7W5K8Q4T0N9B2XG6AD", Now.AddMinutes(16), Now.AddMinutes(31));

        var (entries, merged) = RevocationPolicy.With([old], [fresh], "R2", Now.AddMinutes(16));

        Assert.False(merged);
        Assert.Equal([fresh], entries);
    }

    [Fact]
    public void A_policy_with_nothing_left_to_deny_is_no_policy()
    {
        var (entries, _) = RevocationPolicy.With([RevocationEntry.ForTenant("R1", Now, Now.AddHours(1))], [], "R2", Now.AddHours(2));

        Assert.Empty(entries);
        Assert.Null(RevocationPolicy.Render(entries));
    }

    [Fact]
    public void The_same_subject_revoked_twice_is_one_deny_with_the_later_time()
    {
        var first = RevocationEntry.ForSubject("R1", RevocationEntry.SourceIdentityKey, "alice", Now, Now.AddHours(1));
        var second = RevocationEntry.ForSubject("R2", RevocationEntry.SourceIdentityKey, "alice", Now.AddMinutes(5), Now.AddMinutes(65));

        var (entries, _) = RevocationPolicy.With([first], [second], "R2", Now.AddMinutes(5));

        Assert.Equal([second], entries);
    }

    [Fact]
    public void Leases_past_the_inline_limit_are_merged_into_a_tenant_wide_deny_of_sessions_issued_before_now()
    {
        var leases = Enumerable.Range(0, 400).Select(i => RevocationEntry.ForLease($"R{i}", $"01JDQ3ZV7W5K8Q4T0N9B2X{i:D4}", Now, Now.AddMinutes(10 + i))).ToList();
        var subject = RevocationEntry.ForSubject("S", RevocationEntry.SourceIdentityKey, "alice", Now, Now.AddHours(1));

        var (entries, merged) = RevocationPolicy.With([subject, .. leases[..^1]], [leases[^1]], "R399", Now);

        Assert.True(merged);
        Assert.True(RevocationPolicy.Render(entries)!.Length <= RevocationPolicy.MaxCharacters);
        Assert.Contains(subject, entries);
        var wide = Assert.Single(entries, e => e.Kind == RevocationKind.Tenant);
        Assert.Equal((Now, Now.AddMinutes(10 + 399), "R399"), (wide.NotBefore, wide.ExpiresAt, wide.RevocationId));
        Assert.DoesNotContain(entries, e => e.Kind == RevocationKind.Lease);
    }

    [Fact]
    public void Leases_within_the_inline_limit_stay_one_by_one()
    {
        var leases = Enumerable.Range(0, 200).Select(i => RevocationEntry.ForLease($"R{i}", $"01JDQ3ZV7W5K8Q4T0N9B2X{i:D4}", Now, Now.AddMinutes(10))).ToList();

        var (entries, merged) = RevocationPolicy.With(leases[..^1], [leases[^1]], "R199", Now);

        Assert.False(merged);
        Assert.Equal(200, entries.Count);
        Assert.Equal(200, Statements(RevocationPolicy.Render(entries))[0].GetProperty("Condition").GetProperty("StringLike").GetProperty("aws:userid").GetArrayLength());
    }

    internal static RevocationEntry Entry(string target, DateTimeOffset expiresAt) => target switch
    {
        "lease" => RevocationEntry.ForLease("R1", LeaseId, Now, expiresAt),
        "sourceIdentity" => RevocationEntry.ForSubject("R1", RevocationEntry.SourceIdentityKey, "alice", Now, expiresAt),
        "subjectTag" => RevocationEntry.ForSubject("R1", RevocationEntry.SubjectTagKey, "alice", Now, expiresAt),
        _ => RevocationEntry.ForTenant("R1", Now, expiresAt),
    };

    private static JsonElement[] Statements(string? document) =>
        [.. JsonDocument.Parse(document!).RootElement.GetProperty("Statement").EnumerateArray()];
}
