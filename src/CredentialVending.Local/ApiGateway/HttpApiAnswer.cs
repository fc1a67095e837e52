using System.Text;
using System.Text.Json;
using CredentialVending.Local.Lambda;

namespace CredentialVending.Local.ApiGateway;

/// <summary>
/// Writes a function's payload 2.0 answer as the HTTP response, as API Gateway does: <c>statusCode</c>, <c>headers</c>,
/// <c>cookies</c> as Set-Cookie, <c>body</c> (base64-decoded when <c>isBase64Encoded</c>). A valid JSON answer without
/// <c>statusCode</c> is taken as a 200 JSON body; a failed invocation or an unreadable answer is API Gateway's own 500.
/// </summary>
public static class HttpApiAnswer
{
    // Hop-by-hop and framing headers are the server's business, not the function's.
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "content-length", "transfer-encoding", "connection" };

    public static Task WriteMessageAsync(HttpResponse response, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = status;
        response.ContentType = "application/json";
        return response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }));
    }

    public static async Task WriteAsync(HttpResponse response, InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded || !TryRead(result.Response!, out var status, out var headers, out var cookies, out var body))
        {
            await WriteMessageAsync(response, StatusCodes.Status500InternalServerError, "Internal Server Error").ConfigureAwait(false);
            return;
        }

        response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            if (!Skipped.Contains(name))
            {
                response.Headers[name] = value;
            }
        }

        foreach (var cookie in cookies)
        {
            response.Headers.Append("Set-Cookie", cookie);
        }

        if (body.Length > 0)
        {
            await response.Body.WriteAsync(body).ConfigureAwait(false);
        }
    }

    private static bool TryRead(byte[] raw, out int status, out List<(string, string)> headers, out List<string> cookies, out byte[] body)
    {
        (status, headers, cookies, body) = (200, [], [], raw);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("statusCode", out var code))
            {
                headers.Add(("content-type", "application/json"));
                return true;
            }

            if (!code.TryGetInt32(out status))
            {
                return false;
            }

            if (root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                headers.AddRange(h.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())));
            }

            if (root.TryGetProperty("cookies", out var c) && c.ValueKind == JsonValueKind.Array)
            {
                cookies.AddRange(c.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!));
            }

            var text = root.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : string.Empty;
            try
            {
                body = root.TryGetProperty("isBase64Encoded", out var encoded) && encoded.ValueKind == JsonValueKind.True
                    ? Convert.FromBase64String(text)
                    : Encoding.UTF8.GetBytes(text);
            }
            catch (FormatException)
            {
                return false;
            }

            return true;
        }
    }
}
