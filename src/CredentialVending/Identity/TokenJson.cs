using System.Text.Json;

namespace CredentialVending.Identity;

/// <summary>
/// Reads a token's header or payload as I-JSON (RFC 7493): one object, UTF-8 without a byte order mark, no repeated
/// member name at any depth (names compared after unescaping, so <c>"s\u0075b"</c> repeats <c>"sub"</c>), no string
/// escaping a lone surrogate, no number a double cannot hold. JSON that two parsers could read two ways is refused
/// here, so what this reader says is what the token says.
/// </summary>
internal static class TokenJson
{
    /// <summary>A real token nests two or three levels (the tags claim); anything deeper is an attack on the parser.</summary>
    public const int MaxDepth = 16;

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The object, or null with <paramref name="problem"/> saying why (in fixed words: never the token's text).</summary>
    public static JsonDocument? ParseObject(ReadOnlyMemory<byte> utf8, out string problem)
    {
        problem = string.Empty;
        JsonDocument document;
        try
        {
            // Utf8JsonReader refuses a byte order mark and invalid UTF-8 itself; AllowDuplicateProperties refuses
            // repeated names, and throws InvalidOperationException for a name that escapes a lone surrogate.
            document = JsonDocument.Parse(utf8, Options);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            problem = "is not well-formed JSON (or repeats a name)";
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            problem = "is not a JSON object";
            return null;
        }

        if (!IsInteroperable(document.RootElement))
        {
            document.Dispose();
            problem = "holds a string with a lone surrogate or a number out of range";
            return null;
        }

        return document;
    }

    private static bool IsInteroperable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsInteroperable(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsInteroperable(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }

            case JsonValueKind.Number:
                // TryGetDouble answers true with infinity for 1e400: a claim no other parser reads the same.
                return element.TryGetDouble(out var number) && double.IsFinite(number);
            default:
                return true;
        }
    }
}
