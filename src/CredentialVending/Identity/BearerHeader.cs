namespace CredentialVending.Identity;

/// <summary>Reads <c>Authorization: Bearer &lt;token&gt;</c> (RFC 6750, section 2.1).</summary>
internal static class BearerHeader
{
    /// <summary>
    /// The token, or null with <paramref name="problem"/> set. The scheme is matched case-insensitively, as
    /// RFC 7235 section 2.1 makes every HTTP auth-scheme ("bearer" and "BEARER" are "Bearer"); the token itself
    /// is taken verbatim.
    /// </summary>
    public static string? Read(string? header, out string problem)
    {
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(header))
        {
            problem = "The Authorization header is missing.";
            return null;
        }

        var value = header.Trim(' ');
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? value : value[..space];
        if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            problem = "The Authorization header is not a Bearer token.";
            return null;
        }

        // RFC 6750 allows one or more spaces after the scheme; the token (b64token) holds none.
        var token = space < 0 ? string.Empty : value[(space + 1)..].TrimStart(' ');
        if (token.Length == 0)
        {
            problem = "The Authorization header has no token after Bearer.";
            return null;
        }

        if (token.Contains(' ', StringComparison.Ordinal))
        {
            problem = "The Authorization header holds more than one token.";
            return null;
        }

        return token;
    }
}
