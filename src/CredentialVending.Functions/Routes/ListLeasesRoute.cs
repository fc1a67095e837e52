using System.Globalization;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Leases;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// GET /v1/tenants/{tenantId}/leases: the tenant's leases, newest first, for callers holding its <c>leases</c>
/// permission; filtered by <c>subject</c>, <c>accessKeyId</c>, <c>since</c> and <c>until</c>, paged by <c>cursor</c>.
/// </summary>
public static class ListLeasesRoute
{
    private static readonly string[] Names = ["subject", "accessKeyId", "since", "until", "limit", "cursor", "revoked"];

    // Leases are not secrets, but they name people and addresses: no shared cache keeps them (RouteResult's no-store).
    public static async Task<RouteResult> HandleAsync(RouteContext context, (LeaseQuery Query, string? Cursor) read, CancellationToken cancellationToken)
    {
        var (query, cursor) = read;
        query = query with { TenantId = context.Caller.Tenant.TenantId };
        var binding = PageCursor.Binding("leases", query.TenantId, query.Subject, query.AccessKeyId, Millis(query.Since), Millis(query.Until), query.RevokedOnly ? "revoked" : null);
        if (cursor is not null)
        {
            var after = context.Services.Cursors.Open(cursor, binding);
            if (after.IsRefused || !Ulid.IsValid(after.Value!))
            {
                return after.Refusal ?? Refusal.InvalidRequest("cursor is not valid.");
            }

            query = query with { After = after.Value };
        }

        var page = await context.Services.Ledger.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        var next = page.LastLeaseId is null ? null : context.Services.Cursors.Seal(binding, page.LastLeaseId);
        return RouteResult.Json(200, new LeasePageView([.. page.Items.Select(LeaseView.From)], next), FunctionsJsonContext.Default.LeasePageView);
    }

    public static Outcome<(LeaseQuery Query, string? Cursor)> Read(RouteContext context)
    {
        var parameters = QueryParameters.Read(context, Names);
        if (parameters.IsRefused)
        {
            return parameters.Refusal!;
        }

        var query = parameters.Value!;
        var subject = QueryParameters.Text(query, "subject", 1024);
        var accessKeyId = QueryParameters.AccessKeyId(query);
        var since = QueryParameters.Time(query, "since");
        var until = QueryParameters.Time(query, "until");
        var limit = QueryParameters.Limit(query);
        var cursor = QueryParameters.Text(query, "cursor", 1024);
        var revoked = query.GetValueOrDefault("revoked") switch
        {
            null or "false" => false,
            "true" => (Outcome<bool>)true,
            _ => Refusal.InvalidRequest("revoked must be true or false."),
        };
        var refusal = subject.Refusal ?? accessKeyId.Refusal ?? since.Refusal ?? until.Refusal ?? limit.Refusal ?? cursor.Refusal ?? revoked.Refusal;
        if (refusal is not null)
        {
            return refusal;
        }

        // The subject filter is a DynamoDB key (tenant#subject in bySubject): past DynamoDB's limit it could match nothing,
        // and DynamoDB would refuse the query rather than answer so.
        if (subject.Value is { } wanted && LeaseKeys.SubjectProblem(context.Path("tenantId"), wanted) is { } unusable)
        {
            return Refusal.InvalidRequest($"subject cannot be searched for: {unusable}.");
        }

        if (since.Value > until.Value)
        {
            return Refusal.InvalidRequest("since must not be later than until.");
        }

        return (new LeaseQuery
        {
            TenantId = context.Path("tenantId"),
            Subject = subject.Value,
            AccessKeyId = accessKeyId.Value,
            Since = since.Value,
            Until = until.Value,
            Limit = limit.Value,
            RevokedOnly = revoked.Value,
        }, cursor.Value);
    }

    private static string? Millis(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
