namespace CredentialVending.Common;

/// <summary>One problem found in a document, with the path of what is wrong.</summary>
public sealed record FieldError(string Path, string Message);

/// <summary>
/// A user's mistake or a condition the caller must act on, answered as problem+json by the routes.
/// <paramref name="Code"/> is one of the codes of docs/api.md (<see cref="Codes"/>); system failures are exceptions, never refusals.
/// </summary>
public sealed record Refusal(string Code, string Detail, IReadOnlyList<FieldError>? Errors = null, TimeSpan? RetryAfter = null)
{
    public static Refusal InvalidRequest(string detail) => new(Codes.InvalidRequest, detail);
}

/// <summary>The error codes of docs/api.md.</summary>
public static class Codes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidScope = "invalid_scope";
    public const string InvalidDuration = "invalid_duration";
    public const string InvalidMessage = "invalid_message";
    public const string InvalidTenant = "invalid_tenant";
    public const string InvalidToken = "invalid_token";
    public const string TenantMismatch = "tenant_mismatch";
    public const string TenantSuspended = "tenant_suspended";
    public const string ScopeNotPermitted = "scope_not_permitted";
    public const string UnusableClaim = "unusable_claim";
    public const string Forbidden = "forbidden";
    public const string Revoked = "revoked";
    public const string TenantNotFound = "tenant_not_found";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PreconditionFailed = "precondition_failed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string RateLimited = "rate_limited";
    public const string InternalError = "internal_error";
    public const string IssuanceFailed = "issuance_failed";
    public const string Unavailable = "unavailable";
}

/// <summary>Either a value or a refusal.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Refusal? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    public T? Value { get; }
    public Refusal? Refusal { get; }
    public bool IsRefused => Refusal is not null;

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}
