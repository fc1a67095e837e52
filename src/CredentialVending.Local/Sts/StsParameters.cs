using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace CredentialVending.Local.Sts;

/// <summary>The Query protocol's flat parameters (<c>Tags.member.1.Key</c>...), read from the form body and the query string.</summary>
internal sealed class StsParameters
{
    private readonly Dictionary<string, string> _values;

    private StsParameters(Dictionary<string, string> values) => _values = values;

    public static StsParameters Empty => new(new Dictionary<string, string>(StringComparer.Ordinal));

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    public string Action => this["Action"] ?? string.Empty;

    public string Version => this["Version"] ?? string.Empty;

    public static StsParameters Read(HttpRequest request, byte[] body)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Query)
        {
            values[name] = value.ToString();
        }

        if (HttpMethods.IsPost(request.Method))
        {
            foreach (var (name, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                values[name] = value.ToString();
            }
        }

        return new StsParameters(values);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary><c>Name.member.1</c>, <c>Name.member.2</c>... up to the first gap.</summary>
    public IReadOnlyList<string> List(string name)
    {
        var items = new List<string>();
        for (var i = 1; this[$"{name}.member.{i}"] is { } item; i++)
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary><c>Tags.member.N.Key</c> and <c>Tags.member.N.Value</c> up to the first gap; a missing value reads as empty.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags()
    {
        var tags = new List<KeyValuePair<string, string>>();
        for (var i = 1; this[$"Tags.member.{i}.Key"] is { } key; i++)
        {
            tags.Add(new(key, this[$"Tags.member.{i}.Value"] ?? string.Empty));
        }

        return tags;
    }

    public int PolicyArnCount()
    {
        var count = 0;
        while (Has($"PolicyArns.member.{count + 1}.arn"))
        {
            count++;
        }

        return count;
    }

    /// <summary>The integer, or null when absent or not a number (the caller decides what that means).</summary>
    public int? Int(string name) =>
        int.TryParse(this[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
