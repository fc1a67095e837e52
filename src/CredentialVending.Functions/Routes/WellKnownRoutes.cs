using System.Text.Json;
using CredentialVending.Brokering;
using CredentialVending.Common;
using CredentialVending.Functions.Http;

namespace CredentialVending.Functions.Routes;

/// <summary>
/// GET /.well-known/openid-configuration and GET /.well-known/jwks.json: the service as the OpenID Connect provider its
/// brokered tenants' roles trust (docs/api.md, "Brokered tenants"). Public, since STS fetches them without credentials;
/// 404 where the deployment has no brokered mode. Neither reads the query, so a query changes nothing.
/// </summary>
public static class WellKnownRoutes
{
    // STS and other verifiers cache them; a rotated key has a new kid, which makes a verifier refetch.
    private static readonly Dictionary<string, string> Cacheable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cache-control"] = "public, max-age=3600",
    };

    public static Task<RouteResult> DiscoveryAsync(RouteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(context.Services.Broker is { } broker
            ? Json(JsonSerializer.Serialize(broker.Discovery, BrokerJsonContext.Default.OpenIdConfiguration))
            : NotServed());
    }

    public static async Task<RouteResult> JwksAsync(RouteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Services.Broker is not { } broker)
        {
            return NotServed();
        }

        var jwk = await broker.JwkAsync(cancellationToken).ConfigureAwait(false);
        return Json(JsonSerializer.Serialize(new BrokerJwkSet([jwk]), BrokerJsonContext.Default.BrokerJwkSet));
    }

    private static RouteResult Json(string body) => RouteResult.Json(200, body, Cacheable);

    private static RouteResult NotServed() =>
        new Refusal(Codes.NotFound, "This deployment has no brokered mode (BROKER_KMS_KEY_ID and BROKER_ISSUER are unset), so it is no OpenID Connect provider.");
}
