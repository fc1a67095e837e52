using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Identity;

/// <summary>
/// Reads an issuer's signing keys: <c>{issuer}/.well-known/openid-configuration</c>, then its <c>jwks_uri</c>.
/// Hand-written on JsonDocument rather than ConfigurationManager so the URL rules, the timeouts and the size
/// caps are ours to see and test, and nothing on the path needs reflection (Native AOT).
/// </summary>
internal sealed class JwksFetcher
{
    /// <summary>A real JWKS is a few KiB; a cap keeps a hostile or broken issuer from filling the function's memory.</summary>
    private const int MaxDocumentBytes = 512 * 1024;

    /// <summary>Enough for an issuer that moved (http to https, a trailing slash); a longer chain is a loop or a trick.</summary>
    private const int MaxRedirects = 3;

    private readonly HttpClient _http;
    private readonly bool _allowInsecureLoopback;
    private readonly TimeSpan _timeout;

    public JwksFetcher(HttpClient http, bool allowInsecureLoopback, TimeSpan timeout)
    {
        _http = http;
        _allowInsecureLoopback = allowInsecureLoopback;
        _timeout = timeout;
    }

    /// <summary>The issuer's signing keys. Throws <see cref="KeySourceException"/> when they cannot be had.</summary>
    public async Task<IReadOnlyList<SecurityKey>> FetchAsync(string issuer, CancellationToken ct)
    {
        // OpenID Connect Discovery 1.0, section 4: a terminating "/" of the issuer is removed before appending.
        var discoveryUrl = issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        string jwksUri;
        using (var discovery = await GetJsonAsync(discoveryUrl, "discovery document", ct).ConfigureAwait(false))
        {
            var root = discovery.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new KeySourceException("the discovery document is not a JSON object");
            }

            // Section 4.3: the document must name the very issuer it was fetched for, so one issuer cannot
            // point us at another's keys.
            if (!root.TryGetProperty("issuer", out var named) || named.ValueKind != JsonValueKind.String || named.GetString() != issuer)
            {
                throw new KeySourceException("the discovery document names another issuer");
            }

            if (!root.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String)
            {
                throw new KeySourceException("the discovery document has no jwks_uri");
            }

            jwksUri = jwks.GetString()!;
        }

        if (!IssuerUrls.IsAllowed(jwksUri, _allowInsecureLoopback, out var reason))
        {
            throw new KeySourceException($"the jwks_uri {reason}");
        }

        var json = await GetStringAsync(jwksUri, "JWKS", ct).ConfigureAwait(false);
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (ArgumentException e)
        {
            throw new KeySourceException("the JWKS is not a valid JSON Web Key Set", e);
        }

        // Keys marked "use": "enc" and keys IdentityModel cannot turn into a verifier are left out here.
        return [.. set.GetSigningKeys()];
    }

    private async Task<JsonDocument> GetJsonAsync(string url, string what, CancellationToken ct)
    {
        var text = await GetStringAsync(url, what, ct).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new KeySourceException($"the {what} is not JSON", e);
        }
    }

    /// <summary>
    /// GET, following at most <see cref="MaxRedirects"/> redirects by hand, so each hop's URL passes the rules the first
    /// request's did (and each connection passes <see cref="IssuerHttp"/>'s address rule, as every connection does).
    /// </summary>
    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Uri url, string what, CancellationToken ct)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308))
            {
                return response;
            }

            var location = response.Headers.Location;
            response.Dispose();
            if (hop == MaxRedirects || location is null)
            {
                throw new KeySourceException($"the {what} redirected more than {MaxRedirects} times, or to nowhere");
            }

            url = new Uri(url, location);
            if (!IssuerUrls.IsAllowed(url, _allowInsecureLoopback, out var reason))
            {
                throw new KeySourceException($"the {what} was redirected to a URL that {reason}");
            }
        }
    }

    private async Task<string> GetStringAsync(string url, string what, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await SendFollowingRedirectsAsync(new Uri(url), what, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new KeySourceException($"the {what} answered HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
            {
                throw new KeySourceException($"the {what} is larger than {MaxDocumentBytes} bytes");
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > MaxDocumentBytes)
                    {
                        throw new KeySourceException($"the {what} is larger than {MaxDocumentBytes} bytes");
                    }

                    buffer.Write(chunk, 0, read);
                }

                return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new KeySourceException($"the {what} did not answer within {_timeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e) when (e.InnerException is IssuerAddressRefusedException refused)
        {
            throw new KeySourceException($"the {what} is not fetched: {refused.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new KeySourceException($"the {what} could not be reached ({e.HttpRequestError})", e);
        }
        catch (IOException e)
        {
            throw new KeySourceException($"the {what} connection broke off", e);
        }
    }
}

/// <summary>An issuer's keys could not be had. The message names the step that failed, never a token.</summary>
internal sealed class KeySourceException : Exception
{
    public KeySourceException(string message)
        : base(message)
    {
    }

    public KeySourceException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public KeySourceException()
    {
    }
}
