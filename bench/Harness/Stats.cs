namespace CredentialVending.Bench.Harness;

/// <summary>Percentiles of a sample, by linear interpolation between the closest ranks (numpy's default), in ms.</summary>
public sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> values)
    {
        _sorted = [.. values.Order()];
        if (_sorted.Length == 0)
        {
            throw new ArgumentException("A sample needs at least one value.", nameof(values));
        }
    }

    public int Count => _sorted.Length;
    public double Min => _sorted[0];
    public double Max => _sorted[^1];
    public double Median => Percentile(50);
    public double P50 => Percentile(50);
    public double P90 => Percentile(90);
    public double P99 => Percentile(99);
    public double Mean => _sorted.Average();

    public double Percentile(double p)
    {
        var rank = p / 100 * (_sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, _sorted.Length - 1);
        return _sorted[low] + ((_sorted[high] - _sorted[low]) * (rank - low));
    }

    /// <summary>The total length of the union of intervals, clipped to [from, to]: overlapping calls count once.</summary>
    public static long CoveredTicks(IEnumerable<(long Start, long End)> intervals, long from, long to)
    {
        long covered = 0;
        var reach = from;
        foreach (var (start, end) in intervals.OrderBy(i => i.Start))
        {
            var s = Math.Max(Math.Max(start, from), reach);
            var e = Math.Min(end, to);
            if (e > s)
            {
                covered += e - s;
                reach = e;
            }
        }

        return covered;
    }
}
