using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CredentialVending.Tenants;

namespace CredentialVending.Scoping;

/// <summary>Writes a session policy: the union of scopes' statements, every string value rendered, minified.</summary>
public static class PolicyWriter
{
    /// <summary>STS's limit on the <c>Policy</c> parameter, in characters.</summary>
    public const int MaxPolicyLength = 2048;

    /// <summary>
    /// Relaxed escaping: the default encoder writes "+" as "\u002B", which would cost 5 of STS's 2,048 characters
    /// for nothing. The policy is only ever a JSON string parameter, never HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>False, with the variable, when <paramref name="resolve"/> answers null for one of them.</summary>
    public static bool TryWrite(IEnumerable<Scope> scopes, Func<TemplateVariable, string?> resolve, out string policyJson, out TemplateVariable failed)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("Version", "2012-10-17");
            writer.WriteStartArray("Statement");
            foreach (var statement in scopes.SelectMany(s => s.Statements))
            {
                if (!WriteRendered(writer, statement, resolve, out failed))
                {
                    policyJson = string.Empty;
                    return false;
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        policyJson = Encoding.UTF8.GetString(buffer.WrittenSpan);
        failed = default;
        return true;
    }

    /// <summary>The length of the policy with every variable at its longest allowed value: the most any request could make of these scopes.</summary>
    public static int WorstCaseLength(IEnumerable<Scope> scopes)
    {
        var longest = new string('x', Template.MaxValueLength);
        TryWrite(scopes, _ => longest, out var json, out _);
        return json.Length;
    }

    private static bool WriteRendered(Utf8JsonWriter writer, JsonElement element, Func<TemplateVariable, string?> resolve, out TemplateVariable failed)
    {
        failed = default;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    // Names are never templates (the reader refuses "{{" in them), so they go out as written.
                    writer.WritePropertyName(property.Name);
                    if (!WriteRendered(writer, property.Value, resolve, out failed))
                    {
                        return false;
                    }
                }

                writer.WriteEndObject();
                return true;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    if (!WriteRendered(writer, item, resolve, out failed))
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
                return true;
            case JsonValueKind.String:
                if (!Template.TryRender(element.GetString()!, resolve, out var rendered, out failed))
                {
                    return false;
                }

                writer.WriteStringValue(rendered);
                return true;
            default:
                element.WriteTo(writer);
                return true;
        }
    }
}
