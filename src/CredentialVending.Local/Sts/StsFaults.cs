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

    /// <summary>400 with an error code no client knows (<c>UnheardOfException</c>), and a message no log may repeat.</summary>
    UnmappedError,

    /// <summary>The action runs (a session is issued), then its 200 answer is cut off halfway through the XML.</summary>
    TruncatedXml,

    /// <summary>200 with an HTML page, as a captive portal or a misrouted proxy answers.</summary>
    Html,

    /// <summary>200 with an empty body.</summary>
    EmptyBody,

    /// <summary>A well-formed 200 answer without its <c>Credentials</c> element.</summary>
    NoCredentials,

    /// <summary>A well-formed 200 answer whose <c>Expiration</c> is no date.</summary>
    BadExpiration,

    /// <summary>A well-formed 200 answer whose <c>AccessKeyId</c> is no access key id.</summary>
    BadAccessKeyId,

    /// <summary>A well-formed 200 answer whose <c>PackedPolicySize</c> is no number.</summary>
    UnreadableNumber,

    /// <summary>An <c>AssumeRoleWithSAML</c> answer whose <c>Subject</c> is not the assertion's (<see cref="StsFault.OtherSamlSubject"/>):
    /// what a client that read a different assertion than STS verified would see.</summary>
    OtherSamlSubject,
}

/// <summary>One injected failure.</summary>
public sealed record StsFault(StsFaultKind Kind, TimeSpan Delay = default)
{
    /// <summary>The message of <see cref="StsFaultKind.UnmappedError"/>: a test looks for it in every log line.</summary>
    public const string UnmappedMessage = "sts-error-text-that-no-log-may-repeat: the role arn:aws:iam::123456789012:role/private-admin was involved";

    public static StsFault None { get; } = new(StsFaultKind.None);

    public static StsFault Throttle { get; } = new(StsFaultKind.Throttle);

    public static StsFault InternalFailure { get; } = new(StsFaultKind.InternalFailure);

    public static StsFault ServiceUnavailable { get; } = new(StsFaultKind.ServiceUnavailable);

    public static StsFault RegionDisabled { get; } = new(StsFaultKind.RegionDisabled);

    public static StsFault AccessDenied { get; } = new(StsFaultKind.AccessDenied);

    public static StsFault Hang(TimeSpan delay) => new(StsFaultKind.Hang, delay);

    public static StsFault UnmappedError { get; } = new(StsFaultKind.UnmappedError);

    public static StsFault TruncatedXml { get; } = new(StsFaultKind.TruncatedXml);

    public static StsFault Html { get; } = new(StsFaultKind.Html);

    public static StsFault EmptyBody { get; } = new(StsFaultKind.EmptyBody);

    public static StsFault NoCredentials { get; } = new(StsFaultKind.NoCredentials);

    public static StsFault BadExpiration { get; } = new(StsFaultKind.BadExpiration);

    public static StsFault BadAccessKeyId { get; } = new(StsFaultKind.BadAccessKeyId);

    public static StsFault UnreadableNumber { get; } = new(StsFaultKind.UnreadableNumber);

    /// <summary>The subject <see cref="StsFaultKind.OtherSamlSubject"/> answers.</summary>
    public const string OtherSamlSubjectValue = "someone-else@sts-verified.example";

    public static StsFault OtherSamlSubject { get; } = new(StsFaultKind.OtherSamlSubject);

    /// <summary>True for the faults that garble an answer rather than refuse the call.</summary>
    public bool Garbles => Kind >= StsFaultKind.TruncatedXml;
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
