using CredentialVending.Revocation;

namespace CredentialVending.Tests.Revocation;

public sealed class TokenRevocationsTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("alice", -1, 10, true)]
    [InlineData("alice", 0, 10, false)]
    [InlineData("alice", 5, 10, false)]
    [InlineData("alice", null, 10, true)]
    [InlineData("bob", -1, 10, false)]
    [InlineData("alice", -1, 25 * 3600, false)]
    public void A_subjects_token_is_refused_only_when_issued_before_its_revocation_while_the_cutoff_lasts(string subject, int? issuedSecondsAfter, int nowSecondsAfter, bool refused)
    {
        var revoked = TokenRevocations.None.With("alice", new TokenCutoff(T, T + TokenRevocations.TokenLifetime), T);

        var issuedAt = issuedSecondsAfter is { } s ? T.AddSeconds(s) : (DateTimeOffset?)null;

        Assert.Equal(refused, revoked.Refuses(subject, issuedAt, T.AddSeconds(nowSecondsAfter)));
    }

    [Fact]
    public void A_tenant_wide_cutoff_refuses_every_subjects_older_tokens_and_a_lapsed_one_is_dropped_on_the_next_write()
    {
        var all = TokenRevocations.None.With(null, new TokenCutoff(T, T.AddHours(1)), T);

        Assert.True(all.Refuses("anyone", T.AddSeconds(-1), T));
        Assert.False(all.Refuses("anyone", T, T));

        var later = all.With("alice", new TokenCutoff(T.AddHours(2), T.AddHours(3)), T.AddHours(2));
        Assert.Null(later.All);
        Assert.Equal(["alice"], later.Subjects.Keys);
    }

    [Fact]
    public void Subjects_past_the_items_budget_become_one_tenant_wide_cutoff_that_refuses_every_one_of_them_still()
    {
        // 2,000-character subjects (the ledger indexes up to 2,048 bytes with the tenant id): 32 of them fit, the 33rd does not.
        var revoked = TokenRevocations.None;
        var subjects = Enumerable.Range(0, 33).Select(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + new string('s', 1996)).ToList();
        for (var i = 0; i < 32; i++)
        {
            revoked = revoked.With(subjects[i], new TokenCutoff(T.AddSeconds(i), T.AddDays(1)), T.AddSeconds(i));
        }

        Assert.Equal(32, revoked.Subjects.Count);
        Assert.Null(revoked.All);

        var merged = revoked.With(subjects[32], new TokenCutoff(T.AddSeconds(32), T.AddDays(2)), T.AddSeconds(32));

        Assert.Empty(merged.Subjects);
        Assert.Equal(new TokenCutoff(T.AddSeconds(32), T.AddDays(2)), merged.All);
        Assert.All(subjects, s => Assert.True(merged.Refuses(s, T.AddSeconds(-1), T.AddSeconds(33))));
        Assert.True(merged.Refuses("anyone-else", T.AddSeconds(31), T.AddSeconds(33)));
        Assert.False(merged.Refuses("anyone-else", T.AddSeconds(32), T.AddSeconds(33)));
    }
}
