using System.Globalization;
using System.Text;

namespace CredentialVending.Lambda.Context;

/// <summary>
/// Lambda's text log format, as its managed runtimes write it: timestamp, request id, level and message separated by
/// tabs, then <c>key=value</c> pairs. Control characters are escaped, so no value can start a line of its own.
/// </summary>
internal static class TextLine
{
    public static string Write(string timestamp, LogLevel level, IReadOnlyList<KeyValuePair<string, string?>> keys, string message, IReadOnlyList<KeyValuePair<string, string?>>? fields, Exception? exception)
    {
        var line = new StringBuilder(timestamp).Append('\t');
        line.Append(Escape(keys.FirstOrDefault(k => k.Key == JsonLineLogger.Keys.RequestId).Value ?? "-")).Append('\t');
        line.Append(level.ToString().ToUpperInvariant()).Append('\t').Append(Escape(message));
        foreach (var (key, value) in keys.Where(k => k.Key != JsonLineLogger.Keys.RequestId).Concat(fields ?? []).Concat(ExceptionFields.Of(exception)))
        {
            line.Append('\t').Append(Escape(key)).Append('=').Append(Escape(value ?? string.Empty));
        }

        return line.ToString();
    }

    private static string Escape(string value)
    {
        if (!value.Any(char.IsControl))
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                _ when char.IsControl(c) => escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }
}
