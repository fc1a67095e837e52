using System.Globalization;
using CredentialVending.Common;

namespace CredentialVending.Functions.Http;

/// <summary>Query string reads shared by the list routes: known names only, a page size, ISO 8601 times.</summary>
public static class QueryParameters
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    // ISO 8601 as callers write it: a date, or a date and time with Z or an offset, with or without fractions.
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd",
    ];

    /// <summary>The query's parameters, or 400 <c>invalid_request</c> naming the first the route does not take.</summary>
    public static Outcome<Dictionary<string, string>> Read(RouteContext context, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = new Dictionary<string, string>(context.Request.QueryStringParameters ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var unknown = query.Keys.FirstOrDefault(k => Array.IndexOf(known, k) < 0);
        return unknown is null
            ? query
            : Refusal.InvalidRequest($"Unknown query parameter '{Shown(unknown)}'; this route takes {string.Join(", ", known)}.");
    }

    /// <summary><c>limit</c>: 1 to 100, default 50.</summary>
    public static Outcome<int> Limit(IReadOnlyDictionary<string, string> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.TryGetValue("limit", out var text))
        {
            return DefaultLimit;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit
            ? limit
            : Refusal.InvalidRequest($"limit must be a whole number from 1 to {MaxLimit}, given once.");
    }

    /// <summary>An optional ISO 8601 time (a date alone means its midnight, UTC; no offset means UTC).</summary>
    public static Outcome<DateTimeOffset?> Time(IReadOnlyDictionary<string, string> query, string name)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.TryGetValue(name, out var text))
        {
            return (DateTimeOffset?)null;
        }

        return DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && time.Year >= 1970
            ? time
            : Refusal.InvalidRequest($"{name} must be an ISO 8601 time such as 2026-11-22T19:00:00Z, given once.");
    }

    /// <summary>An optional non-empty text parameter of at most <paramref name="maxLength"/> characters.</summary>
    public static Outcome<string?> Text(IReadOnlyDictionary<string, string> query, string name, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.TryGetValue(name, out var text))
        {
            return (string?)null;
        }

        return text.Length is > 0 && text.Length <= maxLength
            ? text
            : Refusal.InvalidRequest($"{name} must be 1 to {maxLength} characters.");
    }

    /// <summary><c>accessKeyId</c>: IAM's 16 to 128 letters and digits (ASIA... for the sessions this service issues).</summary>
    public static Outcome<string?> AccessKeyId(IReadOnlyDictionary<string, string> query)
    {
        var text = Text(query, "accessKeyId", 128);
        return text.IsRefused || text.Value is null || (text.Value.Length >= 16 && text.Value.All(char.IsAsciiLetterOrDigit))
            ? text
            : Refusal.InvalidRequest("accessKeyId must be an AWS access key id: 16 to 128 letters and digits, such as ASIA...");
    }

    // A parameter name is the caller's own text: echo it only when it is short and plain.
    private static string Shown(string name) =>
        name.Length <= 32 && name.All(char.IsAsciiLetterOrDigit) ? name : "(an unexpected name)";
}
