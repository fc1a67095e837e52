using System.Security.Cryptography;
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
    /// With <c>format=form</c> it answers what an identity provider's HTTP-POST binding answers a browser instead: a page
    /// whose form posts <c>SAMLResponse</c> (and <c>RelayState</c>, <c>scopes</c>, <c>durationSeconds</c> when given) to
    /// the tenant's credentials route, submitted by script, or by its button where script is off.
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
        return query["format"].ToString() switch
        {
            "" or "json" => Results.Json(new Dictionary<string, string> { ["samlResponse"] = response }, Verbatim),
            "form" => AutoPostPage(http, tenant, response),
            _ => Message(400, "format is json (the default) or form."),
        };
    }

    private static IResult AutoPostPage(HttpContext http, string tenant, string response)
    {
        var html = HtmlEncoder.Default;
        var fields = new List<(string Name, string Value)> { ("SAMLResponse", response) };
        foreach (var (name, parameter) in new[] { ("RelayState", "relayState"), ("scopes", "scopes"), ("durationSeconds", "durationSeconds") })
        {
            if (http.Request.Query[parameter].ToString() is { Length: > 0 } value)
            {
                fields.Add((name, value));
            }
        }

        // The one inline script the page runs is named by a nonce, so the page allows no other.
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        http.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'nonce-{nonce}'; form-action 'self'";
        var inputs = string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{f.Name}\" value=\"{html.Encode(f.Value)}\">"));
        var action = $"/v1/tenants/{Uri.EscapeDataString(tenant)}/credentials";
        return Results.Content(
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Signing in to {html.Encode(tenant)}</title></head>
            <body><form method="post" action="{html.Encode(action)}">{inputs}<button type="submit">Continue to {html.Encode(tenant)}'s credentials</button></form>
            <script nonce="{nonce}">document.forms[0].submit();</script></body></html>
            """,
            "text/html; charset=utf-8");
    }

    private static IResult Message(int status, string message) =>
        Results.Json(new Dictionary<string, string> { ["message"] = message }, statusCode: status);
}
