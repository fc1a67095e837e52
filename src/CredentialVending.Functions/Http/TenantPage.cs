using System.Text.Json.Serialization;

namespace CredentialVending.Functions.Http;

/// <summary>One tenant in <c>GET /admin/tenants</c>.</summary>
public sealed record TenantSummaryView(
    string TenantId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DisplayName,
    string Status,
    long Version);

/// <summary>A page of tenants; <c>nextCursor</c> is null on the last page, and always present.</summary>
public sealed record TenantPageView(
    IReadOnlyList<TenantSummaryView> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
