using System.Text.Json;
using CredentialVending.Common;

namespace CredentialVending.Tenants;

/// <summary>
/// Every problem found in a document, and the typed reads that report into it. Each read notes its problem and goes on,
/// so one PUT answers every problem at once. A JSON null counts as absent.
/// </summary>
internal sealed class Findings
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public int Count => _errors.Count;

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public void Add(string path, string message) => _errors.Add(new FieldError(path, message));

    public static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>
    /// Whether a string or a name somewhere holds an escaped lone surrogate ("\ud800"): valid JSON, but no .NET string,
    /// so reading it would throw. Checked once up front so no later read has to.
    /// </summary>
    public static bool HasBrokenText(JsonElement element)
    {
        try
        {
            ReadAll(element);
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }

        static void ReadAll(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAll(property.Value);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    ReadAll(item);
                }
            }
            else if (element.ValueKind == JsonValueKind.String)
            {
                _ = element.GetString();
            }
        }
    }

    public void UnknownFields(JsonElement obj, string path, string[] known)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                Add(Join(path, property.Name), "unknown field");
            }
        }
    }

    /// <summary>A member that must be an object with only the <paramref name="known"/> fields; null when absent or not an object.</summary>
    public JsonElement? Object(JsonElement obj, string name, string path, bool required, string[] known)
    {
        var at = Join(path, name);
        if (!TryGet(obj, name, out var value))
        {
            Required(at, required);
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(at, "must be an object");
            return null;
        }

        UnknownFields(value, at, known);
        return value;
    }

    public string? String(JsonElement obj, string name, string path, bool required, int maxLength = 1024)
    {
        var at = Join(path, name);
        if (!TryGet(obj, name, out var value))
        {
            Required(at, required);
            return null;
        }

        return String(value, at, maxLength);
    }

    /// <summary>A non-empty string of at most <paramref name="maxLength"/> characters; null (noted) otherwise.</summary>
    public string? String(JsonElement value, string at, int maxLength = 1024)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            Add(at, "must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length == 0 || text.Length > maxLength)
        {
            Add(at, $"must be 1 to {maxLength} characters");
            return null;
        }

        return text;
    }

    /// <summary>A non-empty array of non-empty strings; null when absent or when any item is wrong (each noted).</summary>
    public IReadOnlyList<string>? Strings(JsonElement obj, string name, string path, bool required)
    {
        var at = Join(path, name);
        if (!TryGet(obj, name, out var value))
        {
            Required(at, required);
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            Add(at, "must be a non-empty array of strings");
            return null;
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (String(item, $"{at}[{index++}]") is { } text)
            {
                items.Add(text);
            }
        }

        return items.Count == index ? items : null;
    }

    public int? Integer(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        Add(Join(path, name), "must be a whole number");
        return null;
    }

    public bool? Boolean(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Add(Join(path, name), "must be true or false");
        return null;
    }

    private void Required(string at, bool required)
    {
        if (required)
        {
            Add(at, "is required");
        }
    }
}
