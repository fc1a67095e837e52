using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Hosting;

/// <summary>
/// Helper routes of the local cloud that no deployment has, for development only, on the API's port beside the
/// development issuer's <c>/_local/token</c>:
/// <c>GET /_local/encoded-failure?principalArn=...&amp;action=...&amp;resource=...[&amp;explicitDeny=true]</c> makes the
/// kind of encoded authorization failure message an AWS service returns on access denied, for the decode route to
/// read. It answers <c>{ "encodedMessage" }</c>, which is the decode route's own body, so the two pipe together.
/// </summary>
public static class DevelopmentRoutes
{
    public static void Map(WebApplication app, LocalCloudHost host)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(host);
        app.MapGet("/_local/encoded-failure", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            if (!LoopbackWebApp.IsLoopbackCaller(http))
            {
                return Message(403, "The development-only helper routes answer loopback callers only.");
            }

            // The first STS endpoint is the one the decode function asks first, and only the emulator that encoded a message decodes it.
            if (host.Sts.Count == 0)
            {
                return Message(404, "There is no STS emulator in this run (--aws): take an encoded message from a real access denied error.");
            }

            var query = http.Request.Query;
            string principal = query["principalArn"].ToString(), action = query["action"].ToString(), resource = query["resource"].ToString();
            if (principal.Length == 0 || action.Length == 0 || resource.Length == 0)
            {
                return Message(400, "principalArn, action and resource are required; explicitDeny=true is optional.");
            }

            var encoded = host.Sts[0].EncodeAuthorizationFailure(new AuthorizationFailure
            {
                PrincipalArn = principal,
                Action = action,
                Resource = resource,
                ExplicitDeny = string.Equals(query["explicitDeny"], "true", StringComparison.OrdinalIgnoreCase),
            });
            return Results.Json(new Dictionary<string, string> { ["encodedMessage"] = encoded });
        });
    }

    private static IResult Message(int status, string message) =>
        Results.Json(new Dictionary<string, string> { ["message"] = message }, statusCode: status);
}
