namespace CredentialVending.Local.Sts;

/// <summary>One call the emulator received, as a test asserts on it. It never holds a secret, a session token or a web identity token.</summary>
public sealed record StsCall
{
    public required long Sequence { get; init; }

    public required string RequestId { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required string Action { get; init; }

    public string? RoleArn { get; init; }

    public string? RoleSessionName { get; init; }

    public string? Policy { get; init; }

    public int? DurationSeconds { get; init; }

    public string? ExternalId { get; init; }

    public string? SourceIdentity { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];

    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    /// <summary>Whether the call carried a SigV4 <c>Authorization</c> header (verified or not).</summary>
    public bool Signed { get; init; }

    /// <summary>The access key id named in the signature's credential scope.</summary>
    public string? SigningAccessKeyId { get; init; }

    /// <summary>Whether a <c>WebIdentityToken</c> was present (the token itself is never kept).</summary>
    public bool HadWebIdentityToken { get; init; }

    /// <summary>The HTTP status answered; 499 when the client went away first (a hang it gave up on).</summary>
    public int StatusCode { get; init; }

    /// <summary>The STS error code answered, or null on success.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The <c>X-Amzn-Trace-Id</c> header, which the AWS SDKs send from <c>_X_AMZN_TRACE_ID</c> inside Lambda.</summary>
    public string? TraceHeader { get; init; }
}

/// <summary>A session this emulator issued: what a test needs to sign with it or to check what was granted.</summary>
public sealed record IssuedSession
{
    public required string AccessKeyId { get; init; }

    public required string SecretAccessKey { get; init; }

    public required string SessionToken { get; init; }

    public required DateTimeOffset Expiration { get; init; }

    /// <summary><c>AssumeRole</c> or <c>AssumeRoleWithWebIdentity</c>.</summary>
    public required string IssuedBy { get; init; }

    public required string RoleArn { get; init; }

    public required string RoleSessionName { get; init; }

    /// <summary><c>arn:aws:sts::{account}:assumed-role/{roleName}/{session}</c>.</summary>
    public required string AssumedRoleArn { get; init; }

    /// <summary><c>AROA...:{session}</c>.</summary>
    public required string AssumedRoleId { get; init; }

    public string? Policy { get; init; }

    public string? SourceIdentity { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];

    /// <summary>The session's transitive tag keys: for web identity sessions, the token's <c>transitive_tag_keys</c>.</summary>
    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    /// <summary>The web identity provider's <c>iss</c> and the token's <c>sub</c>, for web identity sessions.</summary>
    public string? WebIdentityIssuer { get; init; }

    public string? WebIdentitySubject { get; init; }
}
