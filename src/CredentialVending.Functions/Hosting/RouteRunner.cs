using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Hosting;

/// <summary>
/// Runs one matched route: its access, its reading of the request, its handler, and the answer to what it returned.
/// An Admin route's principal is checked before the request is read, so an unsigned caller learns nothing of a body's
/// rules; a Bearer route's request is read first, so a malformed one is refused before it costs a tenant read or an
/// issuer's keys.
/// </summary>
internal static class RouteRunner
{
    public static async Task<APIGatewayHttpApiV2ProxyResponse> RunAsync(Route route, RouteContext context, CancellationToken cancellationToken)
    {
        var result = await EnterAsync(route, context, cancellationToken).ConfigureAwait(false) is { } refused
            ? refused
            : await route.Handler(context, cancellationToken).ConfigureAwait(false);
        return result.ToAnswer(context.RequestId);
    }

    private static async Task<Refusal?> EnterAsync(Route route, RouteContext context, CancellationToken cancellationToken)
    {
        switch (route.Access)
        {
            case AdminAccess:
                return AdminAuthorization.Check(context) ?? route.Read?.Invoke(context);
            case BearerAccess bearer:
                if (route.Read?.Invoke(context) is { } unread)
                {
                    return unread;
                }

                var tenantId = context.Path("tenantId");
                var caller = await context.Services.CallersFor(bearer)
                    .AuthenticateAsync(tenantId, context.Request.GetHeader("authorization"), context.SamlResponse, bearer.Permission, cancellationToken).ConfigureAwait(false);
                if (caller.IsRefused)
                {
                    context.Logger.Log(LogLevel.Info, "Caller refused.", [new("route", route.RouteKey), new("tenantId", tenantId), new("code", caller.Refusal!.Code)]);
                    return caller.Refusal;
                }

                context.Caller = caller.Value!;
                return null;
            default:
                return route.Read?.Invoke(context);
        }
    }
}
