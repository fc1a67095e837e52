using System.Text.Json.Serialization;

namespace CredentialVending.Functions.Http;

/// <summary>One tenant in <c>GET /admin/tenants</c>; <c>findings</c> counts what PUT would now refuse in its stored document.</summary>
public sealed record TenantSummaryView(
    string TenantId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DisplayName,
    string Status,
    long Version,
    int Findings);

/// <summary>A page of tenants; <c>nextCursor</c> is null on the last page, and always present.</summary>
public sealed record TenantPageView(
    IReadOnlyList<TenantSummaryView> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
