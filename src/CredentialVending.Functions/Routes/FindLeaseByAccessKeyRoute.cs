using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// GET /admin/leases?accessKeyId=...: an access key id from CloudTrail to its lease, whatever the tenant, through the
/// byAccessKey index. Answers the lease (the newest, should STS ever have reused a key id), or 404 <c>not_found</c>.
/// </summary>
public static class FindLeaseByAccessKeyRoute
{
    public static async Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        if (AdminAuthorization.Check(context) is { } denied)
        {
            return HttpAnswer.Problem(denied, context.RequestId);
        }

        var query = QueryParameters.Read(context, "accessKeyId");
        var accessKeyId = query.IsRefused ? default : QueryParameters.AccessKeyId(query.Value!);
        if ((query.Refusal ?? accessKeyId.Refusal) is { } refusal)
        {
            return HttpAnswer.Problem(refusal, context.RequestId);
        }

        if (accessKeyId.Value is null)
        {
            return HttpAnswer.Problem(Codes.InvalidRequest, "accessKeyId is required: GET /admin/leases?accessKeyId=ASIA...", context.RequestId);
        }

        var leases = await DynamoFailures.GuardAsync(() => context.Services.Leases.FindByAccessKeyAsync(accessKeyId.Value, cancellationToken)).ConfigureAwait(false);

        // Who looked which key up is part of an incident's record.
        context.Logger.Log(LogLevel.Info, "Lease looked up by access key.", [
            new("accessKeyId", accessKeyId.Value), new("found", leases.Count > 0 ? leases[0].LeaseId : null),
            new("principal", context.Request.RequestContext?.Authorizer?.IAM?.UserArn)]);
        return leases.Count == 0
            ? HttpAnswer.Problem(Codes.NotFound, "No lease in the ledger has that access key id (or its record has aged out).", context.RequestId)
            : HttpAnswer.Json(200, LeaseView.From(leases[0]), FunctionsJsonContext.Default.LeaseView, new Dictionary<string, string> { ["cache-control"] = "no-store" });
    }
}
