namespace CredentialVending.Local.Sts;

/// <summary>The kinds of failure an <see cref="StsEmulator"/> can be told to answer with.</summary>
public enum StsFaultKind
{
    /// <summary>Answer normally.</summary>
    None,

    /// <summary>400 <c>Throttling</c> "Rate exceeded".</summary>
    Throttle,

    /// <summary>500 <c>InternalFailure</c>.</summary>
    InternalFailure,

    /// <summary>503 <c>ServiceUnavailable</c>.</summary>
    ServiceUnavailable,

    /// <summary>403 <c>RegionDisabledException</c>.</summary>
    RegionDisabled,

    /// <summary>403 <c>AccessDenied</c>.</summary>
    AccessDenied,

    /// <summary>Wait <see cref="StsFault.Delay"/> before answering normally; a client that gives up first aborts the wait.</summary>
    Hang,
}

/// <summary>One injected failure.</summary>
public sealed record StsFault(StsFaultKind Kind, TimeSpan Delay = default)
{
    public static StsFault None { get; } = new(StsFaultKind.None);

    public static StsFault Throttle { get; } = new(StsFaultKind.Throttle);

    public static StsFault InternalFailure { get; } = new(StsFaultKind.InternalFailure);

    public static StsFault ServiceUnavailable { get; } = new(StsFaultKind.ServiceUnavailable);

    public static StsFault RegionDisabled { get; } = new(StsFaultKind.RegionDisabled);

    public static StsFault AccessDenied { get; } = new(StsFaultKind.AccessDenied);

    public static StsFault Hang(TimeSpan delay) => new(StsFaultKind.Hang, delay);
}

/// <summary>Fault injection for one emulator (one regional endpoint). Thread-safe.</summary>
/// <remarks>A fault applies to every action, after authentication: a call refused for its signature neither sees nor uses it up.</remarks>
public sealed class StsFaults
{
    private readonly Lock _gate = new();
    private StsFault _fault = StsFault.None;
    private int? _remaining;

    /// <summary>The fault in force; setting it applies it to every call until changed.</summary>
    public StsFault Current
    {
        get { lock (_gate) { return _fault; } }
        set => Set(value);
    }

    /// <summary>Applies <paramref name="fault"/> to the next <paramref name="calls"/> calls, or to every call when null; then none.</summary>
    public void Set(StsFault fault, int? calls = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegative(calls ?? 0, nameof(calls));
        lock (_gate)
        {
            _fault = calls == 0 ? StsFault.None : fault;
            _remaining = calls;
        }
    }

    /// <summary>Back to answering normally.</summary>
    public void Clear() => Set(StsFault.None);

    /// <summary>The fault for the call that just arrived, counting it against "the next N calls".</summary>
    internal StsFault Take()
    {
        lock (_gate)
        {
            var fault = _fault;
            if (_remaining is int left && fault.Kind != StsFaultKind.None)
            {
                _remaining = left - 1;
                if (left - 1 == 0)
                {
                    _fault = StsFault.None;
                    _remaining = null;
                }
            }

            return fault;
        }
    }
}
