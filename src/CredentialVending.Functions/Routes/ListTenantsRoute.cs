using System.Text;
using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Events;
using CredentialVending.Tenants;
using CredentialVending.Tenants.Lint;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// GET /admin/tenants: the tenants, a page at a time (<c>limit</c> 1 to 100, default 50; <c>cursor</c>), each with the
/// count of what PUT would now refuse in it (<c>findings</c>), so stored tenants a stricter lint flags can be found.
/// </summary>
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

        var items = stored.Select(t => Summarize(t, context.Services.Configuration.InsecureLoopbackIssuers)).ToArray();
        var page = new TenantPageView(items, next is null ? null : context.Services.Cursors.Seal(Binding, next));
        return HttpAnswer.Json(200, page, FunctionsJsonContext.Default.TenantPageView, new Dictionary<string, string> { ["cache-control"] = "no-store" });
    }

    private static TenantSummaryView Summarize(StoredTenant tenant, bool insecureLoopbackIssuers)
    {
        using var document = JsonDocument.Parse(tenant.Json);
        var root = document.RootElement;
        return new TenantSummaryView(
            tenant.TenantId,
            root.TryGetProperty("displayName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
            root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString()! : "unknown",
            tenant.Version,
            Findings(tenant, insecureLoopbackIssuers));
    }

    /// <summary>
    /// What PUT would now refuse in the stored document: the lint's findings (a lint made stricter, a newer action
    /// list), or, for a document that no longer reads at all, the reader's. Zero for a document PUT takes as it is.
    /// </summary>
    private static int Findings(StoredTenant tenant, bool insecureLoopbackIssuers)
    {
        var read = TenantDocumentReader.ReadStored(Encoding.UTF8.GetBytes(tenant.Json), tenant.TenantId, insecureLoopbackIssuers);
        return read.IsRefused ? Math.Max(1, read.Refusal!.Errors?.Count ?? 0) : TenantLint.Check(read.Value!).Count;
    }
}
