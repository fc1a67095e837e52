using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Events;
using CredentialVending.Tenants;

namespace CredentialVending.Functions.Routes;

/// <summary>GET /admin/tenants: the tenants, a page at a time (<c>limit</c> 1 to 100, default 50; <c>cursor</c>).</summary>
public static class ListTenantsRoute
{
    private static readonly string Binding = PageCursor.Binding("tenants");

    public static async Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        if (AdminAuthorization.Check(context) is { } denied)
        {
            return HttpAnswer.Problem(denied, context.RequestId);
        }

        var query = QueryParameters.Read(context, "limit", "cursor");
        var limit = query.IsRefused ? default : QueryParameters.Limit(query.Value!);
        var cursor = query.IsRefused ? default : QueryParameters.Text(query.Value!, "cursor", 1024);
        string? after = null;
        if ((query.Refusal ?? limit.Refusal ?? cursor.Refusal) is { } refusal)
        {
            return HttpAnswer.Problem(refusal, context.RequestId);
        }

        if (cursor.Value is not null)
        {
            var opened = context.Services.Cursors.Open(cursor.Value, Binding);
            if (opened.IsRefused)
            {
                return HttpAnswer.Problem(opened.Refusal!, context.RequestId);
            }

            after = opened.Value;
        }

        var store = context.Services.Tenants.Store;
        var (stored, next) = await DynamoFailures.GuardAsync(() => store.ListAsync(limit.Value, after, cancellationToken)).ConfigureAwait(false);

        // Ids starting with '_' are never a tenant's (the document's pattern forbids them): they are the service's own items.
        var items = stored.Where(t => !t.TenantId.StartsWith('_')).Select(Summarize).ToArray();
        var page = new TenantPageView(items, next is null ? null : context.Services.Cursors.Seal(Binding, next));
        return HttpAnswer.Json(200, page, FunctionsJsonContext.Default.TenantPageView, new Dictionary<string, string> { ["cache-control"] = "no-store" });
    }

    private static TenantSummaryView Summarize(StoredTenant tenant)
    {
        using var document = JsonDocument.Parse(tenant.Json);
        var root = document.RootElement;
        return new TenantSummaryView(
            tenant.TenantId,
            root.TryGetProperty("displayName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
            root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString()! : "unknown",
            tenant.Version);
    }
}
