namespace CredentialVending.Common;

/// <summary>
/// docs/api.md's "Metrics": the names every function's EMF records use. The one copy: the EMF writer, the template's
/// alarms (held to these by a test) and the local dashboard read them here.
/// </summary>
public static class MetricNames
{
    public const string Namespace = "CredentialVending";

    /// <summary>The dimension of every metric: the function's <c>_HANDLER</c> name.</summary>
    public const string FunctionDimension = "Function";

    /// <summary>The second dimension of <see cref="Refused"/>: the problem answer's code.</summary>
    public const string CodeDimension = "Code";

    public const string CredentialsIssued = "CredentialsIssued";
    public const string Refused = "Refused";
    public const string StsLatency = "StsLatency";
    public const string StsFailover = "StsFailover";
    public const string LedgerWriteFailed = "LedgerWriteFailed";
    public const string RateLimited = "RateLimited";
    public const string Revocations = "Revocations";

    /// <summary>The counters every record carries, 0 included, so that an alarm sees zero rather than missing data.</summary>
    public static readonly IReadOnlyList<string> Counters = [CredentialsIssued, StsFailover, LedgerWriteFailed, RateLimited, Revocations];

    /// <summary>Every metric name a record may hold.</summary>
    public static readonly IReadOnlyList<string> All = [.. Counters, Refused, StsLatency];
}
