using System.Text.Encodings.Web;
using System.Text.Json;
using CredentialVending.Local.Hosting;
using Microsoft.AspNetCore.Routing;

namespace CredentialVending.Local.Saml;

/// <summary>The development SAML identity provider's HTTP face: its metadata, and signed responses for loopback callers.</summary>
public sealed partial class DevelopmentSamlProvider
{
    // Base64's + and / as they are, not \u002B: the ready screen's sed takes the response out of the JSON text.
    private static readonly JsonSerializerOptions Verbatim = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The metadata's path.</summary>
    public const string MetadataPath = "/_local/saml/metadata";

    /// <summary>The responses' path.</summary>
    public const string ResponsePath = "/_local/saml";

    /// <summary>
    /// Maps <c>GET /_local/saml/metadata</c> and <c>GET /_local/saml?tenant=T&amp;sub=S&amp;groups=a,b[&amp;role=ARN]</c>. The
    /// latter answers <c>{ "samlResponse": "&lt;base64&gt;" }</c>, the credentials route's own JSON body, so the two
    /// pipe together; its Role attribute names <c>role</c>, or <see cref="DefaultRoleFor"/> the tenant, with this provider.
    /// </summary>
    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(MetadataPath, () => Results.Text(MetadataXml(), "application/samlmetadata+xml"));
        endpoints.MapGet(ResponsePath, Respond);
    }

    // A shortcut around a login page, so loopback only.
    private IResult Respond(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!LoopbackWebApp.IsLoopbackCaller(http))
        {
            return Message(403, "The development SAML identity provider answers loopback callers only.");
        }

        var query = http.Request.Query;
        string tenant = query["tenant"].ToString(), subject = query["sub"].ToString(), role = query["role"].ToString();
        if (tenant.Length == 0 || subject.Length == 0)
        {
            return Message(400, "tenant and sub are required; groups (a,b) and role (an IAM role ARN) are optional.");
        }

        var response = SignedResponse(new SamlResponseRequest
        {
            Subject = subject,
            Tenant = tenant,
            RoleArn = role.Length > 0 ? role : DefaultRoleFor(tenant),
            Groups = query["groups"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        });
        return Results.Json(new Dictionary<string, string> { ["samlResponse"] = response }, Verbatim);
    }

    private static IResult Message(int status, string message) =>
        Results.Json(new Dictionary<string, string> { ["message"] = message }, statusCode: status);
}
