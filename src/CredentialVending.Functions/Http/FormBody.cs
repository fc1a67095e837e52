using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CredentialVending.Common;

namespace CredentialVending.Functions.Http;

/// <summary>
/// An <c>application/x-www-form-urlencoded</c> body, as SAML's browser POST binding sends one (docs/api.md "SAML
/// tenants"): the same size limit as a JSON body, each field at most once, only the fields the route takes.
/// </summary>
public static class FormBody
{
    public static bool IsForm(RouteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Request.GetHeader("content-type");
        return type is not null && type.Split(';')[0].Trim().Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
    }

    public static Outcome<IReadOnlyDictionary<string, string>> Read(RouteContext context, IReadOnlyCollection<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var bytes = JsonBody.ReadBytes(context);
        if (bytes.IsRefused)
        {
            return bytes.Refusal!;
        }

        if (!Utf8.IsValid(bytes.Value))
        {
            return Refusal.InvalidRequest("The form is not valid UTF-8.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Encoding.UTF8.GetString(bytes.Value!).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(at < 0 ? pair : pair[..at]);
            var value = at < 0 ? string.Empty : Decode(pair[(at + 1)..]);
            if (name is null || value is null)
            {
                return Refusal.InvalidRequest("The form has a percent-escape that is not % and two hex digits, or that decodes to bytes that are not UTF-8.");
            }

            if (!fields.Contains(name))
            {
                return Refusal.InvalidRequest($"Unknown form field '{Printable(name)}'; the form takes {string.Join(", ", fields)}.");
            }

            if (!values.TryAdd(name, value))
            {
                return Refusal.InvalidRequest($"The form gives {name} more than once.");
            }
        }

        return values;
    }

    /// <summary>
    /// A name or value, '+' read as a space and each %XX as its byte; null for a bad escape or escaped bytes that are not
    /// UTF-8. Not WebUtility.UrlDecode: it keeps a bad escape as typed and turns bytes that are not UTF-8 into U+FFFD,
    /// either of which would read a value other than the one posted.
    /// </summary>
    private static string? Decode(string text)
    {
        if (text.AsSpan().IndexOfAny('%', '+') < 0)
        {
            return text;
        }

        var raw = Encoding.UTF8.GetBytes(text);
        var decoded = new byte[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'%')
            {
                decoded[length++] = raw[i] == (byte)'+' ? (byte)' ' : raw[i];
            }
            else if (i + 2 < raw.Length && byte.TryParse(raw.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
            {
                decoded[length++] = escaped;
                i += 2;
            }
            else
            {
                return null;
            }
        }

        return Utf8.IsValid(decoded.AsSpan(0, length)) ? Encoding.UTF8.GetString(decoded, 0, length) : null;
    }

    // A field name is the caller's text: shown only when short and plain, so an answer never carries what was posted.
    private static string Printable(string name) =>
        name.Length <= 64 && name.All(c => c is > ' ' and < '\u007f') ? name : "(a field)";
}
