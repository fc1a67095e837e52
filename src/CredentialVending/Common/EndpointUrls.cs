namespace CredentialVending.Common;

/// <summary>
/// An endpoint override for an AWS service (<c>STS_ENDPOINTS</c>' <c>region=url</c>, <c>AWS_ENDPOINT_URL_IAM</c>):
/// what every such URL must be, so one service is never checked more loosely than another.
/// </summary>
public static class EndpointUrls
{
    /// <summary>An absolute http(s) URL, https unless on loopback, with no user information, query or fragment.</summary>
    public static bool TryParse(string text, out Uri? url, out string problem)
    {
        problem = string.Empty;
        if (!Uri.TryCreate(text, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            problem = $"'{text}' is not an http(s) URL";
            return false;
        }

        // STS answers with a secret key and a session token, IAM with the role's policy: plain HTTP only to this
        // machine (an emulator).
        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            problem = $"'{text}' must be https unless it is on loopback";
            return false;
        }

        if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            problem = $"'{text}' must not carry user information, a query or a fragment";
            return false;
        }

        return true;
    }
}
