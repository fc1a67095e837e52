using System.Diagnostics;

namespace CredentialVending.Common;

/// <summary>
/// What one invocation measured, written as one EMF record by the functions host before the answer leaves. The host
/// begins one per invocation; the domain adds to it through the static members, which find it through the invocation's
/// async flow and do nothing outside one (unit tests, tools), so no constructor down the call chain carries it.
/// Only names, counts, the tenant id, the STS region and the refusal code: never a secret, token, subject or claim.
/// </summary>
public sealed class InvocationMetrics
{
    private static readonly AsyncLocal<InvocationMetrics?> Slot = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<double> _stsLatencies = [];

    /// <summary>The invocation's record, when one is being served in this async flow.</summary>
    public static InvocationMetrics? Current => Slot.Value;

    public string? TenantId { get; private set; }
    public string? StsRegion { get; private set; }

    /// <summary>The code of the problem answer the invocation gave, if it gave one.</summary>
    public string? RefusalCode { get; private set; }

    /// <summary>A new record, current for the rest of the caller's async flow (and nowhere else).</summary>
    public static InvocationMetrics Begin()
    {
        var metrics = new InvocationMetrics();
        Slot.Value = metrics;
        return metrics;
    }

    /// <summary>Adds to one of <see cref="MetricNames.Counters"/>: the one call a feature makes (e.g. a revocation).</summary>
    public static void Count(string name) => Current?.Add(name);

    /// <summary>For timing an STS call: pass what this returns to <see cref="StsAnswered"/>.</summary>
    public static long StartTimer() => Stopwatch.GetTimestamp();

    /// <summary>One STS attempt, answered or failed, and the region it went to: the last one is the record's region.</summary>
    public static void StsAnswered(string region, long startedAt)
    {
        if (Current is not { } metrics)
        {
            return;
        }

        lock (metrics._gate)
        {
            metrics._stsLatencies.Add(Math.Round(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, 3));
            metrics.StsRegion = region;
        }
    }

    /// <summary>The tenant the invocation served; only a well-formed tenant id, since the path is the caller's.</summary>
    public static void Tenant(string? tenantId)
    {
        if (Current is { } metrics && tenantId is not null && Tenants.TenantPatterns.TenantId().IsMatch(tenantId))
        {
            metrics.TenantId = tenantId;
        }
    }

    /// <summary>The invocation answered a problem with this code (the one place: the functions' problem answer).</summary>
    public static void Refused(string code)
    {
        if (Current is { } metrics)
        {
            metrics.RefusalCode = code;
        }
    }

    public int CountOf(string name)
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault(name);
        }
    }

    public IReadOnlyList<double> StsLatencies
    {
        get
        {
            lock (_gate)
            {
                return [.. _stsLatencies];
            }
        }
    }

    private void Add(string name)
    {
        lock (_gate)
        {
            _counts[name] = _counts.GetValueOrDefault(name) + 1;
        }
    }
}
