using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// GET /admin/leases?accessKeyId=...: an access key id from CloudTrail to its lease, whatever the tenant, through the
/// byAccessKey index. Answers the lease (the newest, should STS ever have reused a key id), or 404 <c>not_found</c>.
/// </summary>
public static class FindLeaseByAccessKeyRoute
{
    public static Outcome<string> Read(RouteContext context)
    {
        var query = QueryParameters.Read(context, "accessKeyId");
        var accessKeyId = query.IsRefused ? default : QueryParameters.AccessKeyId(query.Value!);
        if ((query.Refusal ?? accessKeyId.Refusal) is { } refusal)
        {
            return refusal;
        }

        return accessKeyId.Value is null
            ? Refusal.InvalidRequest("accessKeyId is required: GET /admin/leases?accessKeyId=ASIA...")
            : accessKeyId.Value;
    }

    public static async Task<RouteResult> HandleAsync(RouteContext context, string accessKeyId, CancellationToken cancellationToken)
    {
        var lease = await context.Services.Ledger.FindByAccessKeyAsync(accessKeyId, cancellationToken).ConfigureAwait(false);

        // Who looked which key up is part of an incident's record.
        context.Logger.Log(LogLevel.Info, "Lease looked up by access key.", [
            new("accessKeyId", accessKeyId), new("found", lease?.LeaseId), new("principal", context.IamPrincipal)]);
        return lease is null
            ? new Refusal(Codes.NotFound, "No lease in the ledger has that access key id (or its record has aged out).")
            : RouteResult.Json(200, LeaseView.From(lease), FunctionsJsonContext.Default.LeaseView);
    }
}
