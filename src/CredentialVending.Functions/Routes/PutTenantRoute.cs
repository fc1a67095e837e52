using System.Text;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;
using CredentialVending.Tenants;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// PUT /admin/tenants/{tenantId}: creates (201) or updates (200) a tenant document; idempotent, with
/// <c>If-Match</c> against the ETag (412 when it does not match). The document must pass the reader's rules and the
/// lint, then <see cref="TenantTrust"/>'s: a role of its own, and a tenant claim wherever an issuer is shared.
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
        var trust = new TenantTrust(context.Services.Tenants.Store, context.Services.Configuration.TenantRoleArnPattern, context.Services.Time);
        var put = await DynamoFailures.GuardAsync(() => trust.PutAsync(document.Value!, json, context.Request.GetHeader("if-match"), cancellationToken)).ConfigureAwait(false);
        if (put.IsRefused)
        {
            return HttpAnswer.Problem(put.Refusal!, context.RequestId);
        }

        var (result, stored) = put.Value;
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
