using System.Text.Json;
using CredentialVending.Tenants;

namespace CredentialVending.Identity;

/// <summary>The claims of a caller's token (or, in a preview, the claims an operator gives), by name.</summary>
public sealed class ClaimSet
{
    private readonly IReadOnlyDictionary<string, JsonElement> _claims;

    public ClaimSet(IReadOnlyDictionary<string, JsonElement> claims) => _claims = claims;

    public static ClaimSet FromJsonObject(JsonElement obj)
    {
        var claims = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            claims[property.Name] = property.Value.Clone();
        }

        return new ClaimSet(claims);
    }

    public IEnumerable<string> Names => _claims.Keys;

    public bool TryGet(string name, out JsonElement value) => _claims.TryGetValue(name, out value);

    /// <summary>A claim that is a JSON string; null when absent or of another type.</summary>
    public string? GetString(string name) =>
        _claims.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? Text(value) : null;

    /// <summary>The values of a claim read as a set: a string, a space separated string, or an array of strings.</summary>
    public IReadOnlyList<string> GetValues(string name)
    {
        if (!_claims.TryGetValue(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => (Text(value) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
            JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(Text).OfType<string>().ToArray(),
            _ => [],
        };
    }

    /// <summary>A JSON string's text; null for one escaping a lone UTF-16 surrogate, which .NET cannot turn into a string.</summary>
    private static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Whether the caller holds a rule; a rule that is absent is held by nobody.</summary>
    public bool Holds(ClaimRule? rule) =>
        rule is not null && GetValues(rule.Claim).Any(v => rule.AnyOf.Contains(v, StringComparer.Ordinal));
}
