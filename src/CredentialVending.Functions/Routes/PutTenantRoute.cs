using System.Text;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;
using CredentialVending.Tenants;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// PUT /admin/tenants/{tenantId}: creates (201) or updates (200) a tenant document; idempotent, with
/// <c>If-Match</c> against the ETag (412 when it does not match).
/// </summary>
public static class PutTenantRoute
{
    public static async Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        if (AdminAuthorization.Check(context) is { } denied)
        {
            return HttpAnswer.Problem(denied, context.RequestId);
        }

        var body = JsonBody.ReadBytes(context);
        if (body.IsRefused)
        {
            return HttpAnswer.Problem(body.Refusal!, context.RequestId);
        }

        var tenantId = context.Path("tenantId");
        var document = TenantDocumentReader.Read(body.Value, tenantId, context.Services.Configuration.InsecureLoopbackIssuers);
        if (document.IsRefused)
        {
            return HttpAnswer.Problem(document.Refusal!, context.RequestId);
        }

        var json = Encoding.UTF8.GetString(TenantDocumentWriter.Write(document.Value!));
        var store = context.Services.Tenants.Store;
        var (result, stored) = await DynamoFailures.GuardAsync(() => store.PutAsync(tenantId, json, context.Request.GetHeader("if-match"), cancellationToken)).ConfigureAwait(false);
        if (result == PutResult.PreconditionFailed)
        {
            var current = stored is null ? "the tenant does not exist yet" : $"the current ETag is {stored.ETag}";
            return HttpAnswer.Problem(new Refusal(Codes.PreconditionFailed, $"If-Match does not match: {current}. GET the tenant, apply your change to it, and PUT it with its ETag."), context.RequestId);
        }

        context.Logger.Log(LogLevel.Info, "Tenant stored.", [
            new("tenantId", tenantId), new("result", result.ToString()), new("version", stored!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("principal", context.Request.RequestContext?.Authorizer?.IAM?.UserArn)]);
        return TenantAnswer.From(stored, result == PutResult.Created ? 201 : 200);
    }
}
