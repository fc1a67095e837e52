using System.Text.Json;
using CredentialVending.Common;

namespace CredentialVending.Functions.Http;

/// <summary>What a body field holds.</summary>
public enum BodyFieldType
{
    /// <summary>A string; trimmed, and blank counts as absent.</summary>
    Text,

    /// <summary>An array of strings.</summary>
    TextArray,

    /// <summary>A whole number that fits an <see cref="int"/>.</summary>
    WholeNumber,

    /// <summary>A JSON object, kept as it came.</summary>
    Object,
}

/// <summary>
/// One field of a route's body: its name, its type and the message when its value is not of it, and, for a required
/// field, the message when it is absent.
/// </summary>
public sealed record BodyField(string Name, BodyFieldType Type, string WrongType)
{
    public string? Missing { get; init; }
}

/// <summary>
/// A route's body: its fields, the messages for a body that is no JSON object and for a field it does not take, and
/// its size limit. <see cref="Optional"/>: an empty body reads as one with no fields.
/// </summary>
public sealed record BodySchema(IReadOnlyList<BodyField> Fields, string NotAnObject, Func<string, string> Unknown)
{
    public int MaxBytes { get; init; } = JsonBody.MaxBytes;
    public bool Optional { get; init; }
}

/// <summary>The fields a body held, read by their schema.</summary>
public sealed class BodyValues
{
    private readonly Dictionary<string, object> _values;

    internal BodyValues(Dictionary<string, object> values) => _values = values;

    public string? Text(string name) => _values.GetValueOrDefault(name) as string;
    public IReadOnlyList<string>? TextArray(string name) => _values.GetValueOrDefault(name) as string[];
    public int? WholeNumber(string name) => _values.TryGetValue(name, out var value) ? (int)value : null;
    public JsonElement? Object(string name) => _values.TryGetValue(name, out var value) ? (JsonElement)value : null;
}

/// <summary>
/// Reads a route's body by its <see cref="BodySchema"/> and reports every problem at once, as Vault's field schemas do:
/// one problem is answered with its message as the detail; several with all their messages, and each in <c>errors</c>.
/// What makes a body unreadable at all (size, UTF-8, JSON) is <see cref="JsonBody"/>'s, answered alone.
/// </summary>
public static class BodyReader
{
    public static Outcome<BodyValues> Read(RouteContext context, BodySchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var body = JsonBody.Parse(context, schema.MaxBytes);
        if (body.IsRefused)
        {
            return body.Refusal!;
        }

        using var document = body.Value;
        if (document is null && schema.Optional)
        {
            return new BodyValues([]);
        }

        if (document?.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Refusal.InvalidRequest(schema.NotAnObject);
        }

        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<FieldError>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var field = schema.Fields.FirstOrDefault(f => f.Name == property.Name);
            var value = field is null ? null : ReadValue(field.Type, property.Value);
            if (value is null)
            {
                problems.Add(field is null ? new FieldError(string.Empty, schema.Unknown(property.Name)) : new FieldError(field.Name, field.WrongType));
            }
            else if (value is not "")
            {
                values[field!.Name] = value;
            }
        }

        problems.AddRange(schema.Fields.Where(f => f.Missing is not null && !values.ContainsKey(f.Name) && !problems.Any(p => p.Path == f.Name))
            .Select(f => new FieldError(f.Name, f.Missing!)));
        return Refuse(problems.DistinctBy(p => p.Message).ToArray()) is { } refused ? refused : new BodyValues(values);
    }

    /// <summary>The value, "" for a blank text (as if absent), or null when it is not of the field's type.</summary>
    private static object? ReadValue(BodyFieldType type, JsonElement value) => type switch
    {
        BodyFieldType.Text when value.ValueKind == JsonValueKind.String => value.GetString()!.Trim(),
        BodyFieldType.TextArray when value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
            value.EnumerateArray().Select(v => v.GetString()!).ToArray(),
        BodyFieldType.WholeNumber when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) => number,
        BodyFieldType.Object when value.ValueKind == JsonValueKind.Object => value.Clone(),
        _ => null,
    };

    private static Refusal? Refuse(IReadOnlyList<FieldError> problems) => problems.Count switch
    {
        0 => null,
        1 => Refusal.InvalidRequest(problems[0].Message),
        _ => new Refusal(Codes.InvalidRequest, string.Join(' ', problems.Select(p => p.Message)), problems),
    };
}
