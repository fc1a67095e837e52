using System.Text.Json;
using CredentialVending.Common;

namespace CredentialVending.Functions.Http;

/// <summary>Reads a request body as JSON: size limit (413), base64 bodies, no duplicate keys, bounded depth.</summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = 32,
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>The body's bytes, or 413 <c>payload_too_large</c>.</summary>
    public static Outcome<byte[]> ReadBytes(RouteContext context, int maxBytes = MaxBytes)
    {
        byte[] bytes;
        try
        {
            bytes = context.Request.GetBodyBytes();
        }
        catch (FormatException)
        {
            return Refusal.InvalidRequest("The body is marked base64 but is not.");
        }

        return bytes.Length > maxBytes
            ? new Refusal(Codes.PayloadTooLarge, $"The body is {bytes.Length} bytes; at most {maxBytes} are taken.")
            : bytes;
    }

    /// <summary>The body as a JSON document (null when there is no body), or the refusal to answer.</summary>
    public static Outcome<JsonDocument?> Parse(RouteContext context, int maxBytes = MaxBytes)
    {
        var bytes = ReadBytes(context, maxBytes);
        if (bytes.IsRefused)
        {
            return bytes.Refusal!;
        }

        if (bytes.Value!.Length == 0)
        {
            return (JsonDocument?)null;
        }

        // The reader leaves some invalid UTF-8 (in member names) to be found when a string is read, which would then throw in a route.
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Value))
        {
            return Refusal.InvalidRequest("The body is not valid UTF-8.");
        }

        try
        {
            var document = JsonDocument.Parse(bytes.Value, Options);
            if (!EveryStringReads(document.RootElement))
            {
                document.Dispose();
                return Refusal.InvalidRequest("The body is not valid JSON: it escapes a lone UTF-16 surrogate.");
            }

            return document;
        }
        catch (JsonException e)
        {
            return Refusal.InvalidRequest($"The body is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // .NET 10 throws this, not JsonException, for a property name escaping a lone surrogate when duplicates are checked.
            return Refusal.InvalidRequest("The body is not valid JSON: it escapes a lone UTF-16 surrogate.");
        }
    }

    /// <summary>
    /// Whether every string and member name can be read as a .NET string: "\ud800" is valid JSON, but GetString throws
    /// on it, so a body holding one is refused here rather than failing (500) in whichever route reads that value.
    /// </summary>
    private static bool EveryStringReads(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        if (!EveryStringReads(property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Array:
                    return element.EnumerateArray().All(EveryStringReads);
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
