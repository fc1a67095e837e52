using CredentialVending.Leases;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Leases;

/// <summary>Lease ids: 26 characters of Crockford base32 whose first ten are the issue time in milliseconds.</summary>
public sealed class UlidTests
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    [Fact]
    public void A_new_id_is_26_characters_of_crockford_base32_and_reads_as_valid()
    {
        var id = Ulid.New(DateTimeOffset.UtcNow);

        Assert.Equal(26, id.Length);
        Assert.All(id, c => Assert.Contains(c, Crockford));
        Assert.True(Ulid.IsValid(id));
    }

    [Fact]
    public void The_first_ten_characters_are_the_clock_time_in_milliseconds()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero));

        var id = Ulid.New(time.GetUtcNow());

        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), Milliseconds(id));
    }

    [Fact]
    public void An_id_of_a_later_millisecond_sorts_after_every_id_of_an_earlier_one()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var ids = new List<string>();
        // From the epoch by a millisecond, a second, a day and a year at a time, then on to the year 2100.
        foreach (var step in new[] { 0, 1, 1, 1000, 86_400_000, 31_536_000_000, 4_000_000_000_000 })
        {
            time.Advance(TimeSpan.FromMilliseconds(step));
            ids.AddRange(Enumerable.Range(0, 20).Select(_ => Ulid.New(time.GetUtcNow())));
        }

        var sorted = ids.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ids.Select(Milliseconds), sorted.Select(Milliseconds));
    }

    [Fact]
    public void Ids_of_one_millisecond_differ()
    {
        var now = DateTimeOffset.UtcNow;

        var ids = Enumerable.Range(0, 10_000).Select(_ => Ulid.New(now)).ToArray();

        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(ids.Select(id => id[..10]).Distinct(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_id_of_a_millisecond_lies_between_its_bounds_and_outside_the_next_one()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 1000).Select(_ => Ulid.New(at)).ToArray();

        Assert.All(ids, id => Assert.InRange(id, Ulid.MinAt(at), Ulid.MaxAt(at), StringComparer.Ordinal));
        Assert.True(string.CompareOrdinal(Ulid.MaxAt(at.AddMilliseconds(-1)), Ulid.MinAt(at)) < 0);
        Assert.True(string.CompareOrdinal(Ulid.MaxAt(at), Ulid.MinAt(at.AddMilliseconds(1))) < 0);
    }

    [Fact]
    public void A_bound_before_the_epoch_is_the_smallest_id()
    {
        Assert.Equal(new string('0', 26), Ulid.MinAt(DateTimeOffset.UnixEpoch.AddDays(-1)));
        Assert.Equal(Ulid.MinAt(DateTimeOffset.UnixEpoch), Ulid.MinAt(DateTimeOffset.MinValue));
    }

    [Theory]
    [InlineData("01JDQ3ZV7W5K8Q4T0N9B2XG6AC", true)]
    [InlineData("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", true)]
    [InlineData("00000000000000000000000000", true)]
    [InlineData("81JDQ3ZV7W5K8Q4T0N9B2XG6AC", false)]
    [InlineData("01jdq3zv7w5k8q4t0n9b2xg6ac", false)]
    [InlineData("01JDQ3ZV7W5K8Q4T0N9B2XG6AI", false)]
    [InlineData("01JDQ3ZV7W5K8Q4T0N9B2XG6AL", false)]
    [InlineData("01JDQ3ZV7W5K8Q4T0N9B2XG6AO", false)]
    [InlineData("01JDQ3ZV7W5K8Q4T0N9B2XG6AU", false)]
    [InlineData("01JDQ3ZV7W5K8Q4T0N9B2XG6A", false)]
    [InlineData("01JDQ3ZV7W5K8Q4T0N9B2XG6ACX", false)]
    [InlineData("01JDQ3ZV7W5K8Q4T0N9B2XG6A-", false)]
    [InlineData("", false)]
    [InlineData("alice", false)]
    public void Only_26_upper_case_crockford_characters_within_128_bits_are_an_id(string value, bool valid)
    {
        Assert.Equal(valid, Ulid.IsValid(value));
    }

    private static long Milliseconds(string id) => id[..10].Aggregate(0L, (ms, c) => (ms * 32) + Crockford.IndexOf(c, StringComparison.Ordinal));
}
