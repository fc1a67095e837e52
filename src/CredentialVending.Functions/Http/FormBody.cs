using System.Net;
using System.Text;
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

        if (!System.Text.Unicode.Utf8.IsValid(bytes.Value))
        {
            return Refusal.InvalidRequest("The form is not valid UTF-8.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Encoding.UTF8.GetString(bytes.Value!).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var name = WebUtility.UrlDecode(at < 0 ? pair : pair[..at]);
            var value = at < 0 ? string.Empty : WebUtility.UrlDecode(pair[(at + 1)..]);
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

    // A field name is the caller's text: shown only when short and plain, so an answer never carries what was posted.
    private static string Printable(string name) =>
        name.Length <= 64 && name.All(c => c is > ' ' and < '\u007f') ? name : "(a field)";
}
