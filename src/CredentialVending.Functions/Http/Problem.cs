using System.Text.Json.Serialization;
using CredentialVending.Common;

namespace CredentialVending.Functions.Http;

/// <summary>An RFC 9457 problem+json body, with the service's own <c>code</c> and <c>requestId</c>.</summary>
public sealed record Problem(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("requestId")] string? RequestId,
    [property: JsonPropertyName("errors")] IReadOnlyList<FieldError>? Errors = null);

/// <summary>The HTTP status and title of every code of docs/api.md.</summary>
public static class ProblemCodes
{
    public static (int Status, string Title) Describe(string code) => code switch
    {
        Codes.InvalidRequest => (400, "Invalid request"),
        Codes.InvalidScope => (400, "Invalid scope"),
        Codes.InvalidDuration => (400, "Invalid duration"),
        Codes.InvalidMessage => (400, "Invalid message"),
        Codes.InvalidTenant => (400, "Invalid tenant document"),
        Codes.InvalidToken => (401, "Invalid token"),
        Codes.TenantMismatch => (403, "Tenant mismatch"),
        Codes.TenantSuspended => (403, "Tenant suspended"),
        Codes.ScopeNotPermitted => (403, "Scope not permitted"),
        Codes.UnusableClaim => (403, "Unusable claim"),
        Codes.Forbidden => (403, "Forbidden"),
        Codes.Revoked => (403, "Revoked"),
        Codes.TenantNotFound => (404, "Tenant not found"),
        Codes.NotFound => (404, "Not found"),
        Codes.MethodNotAllowed => (405, "Method not allowed"),
        Codes.PreconditionFailed => (412, "Precondition failed"),
        Codes.PayloadTooLarge => (413, "Payload too large"),
        Codes.RateLimited => (429, "Too many requests"),
        Codes.IssuanceFailed => (502, "Issuance failed"),
        Codes.Unavailable => (503, "Service unavailable"),
        _ => (500, "Internal error"),
    };
}
