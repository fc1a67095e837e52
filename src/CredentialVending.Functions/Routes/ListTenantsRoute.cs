using CredentialVending.Common;
using CredentialVending.Functions.Http;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// GET /admin/tenants: the tenants, a page at a time (<c>limit</c> 1 to 100, default 50; <c>cursor</c>), each with the
/// count of what PUT would now refuse in it (<c>findings</c>), so stored tenants a stricter lint flags can be found.
/// </summary>
public static class ListTenantsRoute
{
    private static readonly string Binding = PageCursor.Binding("tenants");

    public static Outcome<(int Limit, string? Cursor)> Read(RouteContext context)
    {
        var query = QueryParameters.Read(context, "limit", "cursor");
        var limit = query.IsRefused ? default : QueryParameters.Limit(query.Value!);
        var cursor = query.IsRefused ? default : QueryParameters.Text(query.Value!, "cursor", 1024);
        return (query.Refusal ?? limit.Refusal ?? cursor.Refusal) is { } refusal ? refusal : (limit.Value, cursor.Value);
    }

    public static async Task<RouteResult> HandleAsync(RouteContext context, (int Limit, string? Cursor) read, CancellationToken cancellationToken)
    {
        var after = context.Services.Cursors.OpenIfAny(read.Cursor, Binding);
        if (after.IsRefused)
        {
            return after.Refusal!;
        }

        var (tenants, next) = await context.Services.Administration.ListAsync(read.Limit, after.Value, cancellationToken).ConfigureAwait(false);
        var items = tenants.Select(t => new TenantSummaryView(t.TenantId, t.DisplayName, t.Status, t.Version, t.Findings)).ToArray();
        return RouteResult.Json(200, new TenantPageView(items, next is null ? null : context.Services.Cursors.Seal(Binding, next)), FunctionsJsonContext.Default.TenantPageView);
    }
}
