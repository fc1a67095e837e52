namespace CredentialVending.Identity;

/// <summary>
/// Which issuer (and JWKS) URLs the service may fetch keys from. Keys fetched over plain HTTP could be swapped
/// by anyone on the path, so only https is trusted, except loopback in local runs and tests when the operator
/// opts in with <c>INSECURE_LOOPBACK_ISSUERS=true</c>.
/// </summary>
public static class IssuerUrls
{
    /// <summary>Whether <paramref name="url"/> may be fetched; <paramref name="reason"/> says why not.</summary>
    public static bool IsAllowed(string url, bool allowInsecureLoopback, out string reason)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            reason = "is not an absolute URL";
            return false;
        }

        return IsAllowed(uri, allowInsecureLoopback, out reason);
    }

    /// <inheritdoc cref="IsAllowed(string, bool, out string)"/>
    public static bool IsAllowed(Uri uri, bool allowInsecureLoopback, out string reason)
    {
        ArgumentNullException.ThrowIfNull(uri);
        reason = string.Empty;

        // Credentials in a URL would be sent to the issuer and show up in logs and documents: never.
        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            reason = "must not carry user information or a fragment";
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return true;
        }

        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            reason = "must be https";
            return false;
        }

        if (!allowInsecureLoopback)
        {
            reason = "must be https (http is allowed only for loopback issuers, with INSECURE_LOOPBACK_ISSUERS=true)";
            return false;
        }

        // Exactly the three spellings of loopback docs/api.md names: 127.0.0.2, 0.0.0.0 or a name that merely
        // resolves to loopback are refused, so DNS can never turn an http issuer into a remote one.
        var host = uri.Host;
        if (host != "127.0.0.1" && host != "[::1]" && !string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            reason = "may be http only on http://127.0.0.1:PORT, http://[::1]:PORT or http://localhost:PORT";
            return false;
        }

        return true;
    }
}
