using System.Globalization;
using System.Text.RegularExpressions;

namespace CredentialVending.Local.ApiGateway;

/// <summary>
/// The CORS answers API Gateway gives for an HTTP API with a <c>CorsConfiguration</c>: it answers preflight
/// <c>OPTIONS</c> requests itself (204, never reaching a function), puts <c>Access-Control-Allow-Origin</c> on the
/// answers to allowed origins, and ignores any CORS header a function returns. As middleware, it covers every path on
/// the port: the development issuer's discovery and JWKS too, as a real issuer serves them to browser apps.
/// </summary>
public sealed class CorsPolicy
{
    /// <summary>The origins the run command allows unless told otherwise: web apps served from this machine, any port.</summary>
    public static readonly IReadOnlyList<string> DefaultOrigins = ["http://localhost:*", "http://127.0.0.1:*"];

    private readonly CorsConfiguration? _configuration;
    private readonly bool _anyOrigin;
    private readonly Regex[] _origins;

    /// <param name="configuration">The template's configuration; null means the API has no CORS configuration.</param>
    /// <param name="allowedOrigins">The origins (the template's AllowedOrigins parameter); <c>*</c> in one matches any run of characters.</param>
    public CorsPolicy(CorsConfiguration? configuration, IReadOnlyList<string> allowedOrigins)
    {
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        _configuration = configuration;
        _anyOrigin = allowedOrigins.Contains("*");
        _origins = [.. allowedOrigins.Select(o => new Regex("^" + Regex.Escape(o.TrimEnd('/')).Replace("\\*", ".*", StringComparison.Ordinal) + @"\z",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))];
    }

    /// <summary>The value of Access-Control-Allow-Origin for a request from <paramref name="origin"/>, or null when not allowed.</summary>
    public string? AllowOriginFor(string? origin)
    {
        if (_configuration is null || string.IsNullOrEmpty(origin))
        {
            return null;
        }

        return _anyOrigin && !_configuration.AllowCredentials ? "*" : _origins.Any(o => o.IsMatch(origin)) ? origin : null;
    }

    /// <summary>The middleware: answers preflights, and sets the CORS headers of every other answer.</summary>
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        if (_configuration is not { } cors)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var request = http.Request;
        var allowed = AllowOriginFor(request.Headers.Origin.ToString());
        if (HttpMethods.IsOptions(request.Method) && request.Headers.Origin.Count > 0 && request.Headers.AccessControlRequestMethod.Count > 0)
        {
            // A disallowed origin still gets a 204, without CORS headers: the browser is the one that refuses.
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            if (allowed is not null)
            {
                var headers = http.Response.Headers;
                SetOrigin(headers, allowed, cors);
                headers.AccessControlAllowMethods = string.Join(',', cors.AllowMethods);
                headers.AccessControlAllowHeaders = string.Join(',', cors.AllowHeaders);
                if (cors.MaxAge is { } maxAge)
                {
                    headers.AccessControlMaxAge = maxAge.ToString(CultureInfo.InvariantCulture);
                }
            }

            return;
        }

        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            foreach (var name in headers.Keys.Where(k => k.StartsWith("access-control-", StringComparison.OrdinalIgnoreCase)).ToArray())
            {
                headers.Remove(name);
            }

            if (allowed is not null)
            {
                SetOrigin(headers, allowed, cors);
                if (cors.ExposeHeaders.Count > 0)
                {
                    headers.AccessControlExposeHeaders = string.Join(',', cors.ExposeHeaders);
                }
            }

            return Task.CompletedTask;
        });
        await next(http).ConfigureAwait(false);
    }

    private static void SetOrigin(IHeaderDictionary headers, string allowed, CorsConfiguration cors)
    {
        headers.AccessControlAllowOrigin = allowed;
        if (allowed != "*")
        {
            // The answer depends on the Origin header, so a shared cache must not serve it to another origin.
            headers.Vary = "Origin";
        }

        if (cors.AllowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }
    }
}
