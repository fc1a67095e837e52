using System.Text.Json;

namespace CredentialVending.SystemTests.Support;

/// <summary>A function's payload 2.0 answer, read as a client would read the HTTP response.</summary>
public sealed class Answer
{
    public Answer(int status, IReadOnlyDictionary<string, string> headers, string body, string rawResponse)
    {
        Status = status;
        Headers = headers;
        Body = body;
        RawResponse = rawResponse;
    }

    public int Status { get; }
    public IReadOnlyDictionary<string, string> Headers { get; }
    public string Body { get; }
    public string RawResponse { get; }

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The problem+json code of a refusal.</summary>
    public string? Code => Body.Length > 0 && Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("code", out var code) ? code.GetString() : null;

    public static Answer Parse(byte[] response)
    {
        var raw = System.Text.Encoding.UTF8.GetString(response);
        var root = JsonDocument.Parse(raw).RootElement;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in h.EnumerateObject())
            {
                headers[p.Name] = p.Value.GetString() ?? string.Empty;
            }
        }

        var body = root.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : string.Empty;
        if (root.TryGetProperty("isBase64Encoded", out var encoded) && encoded.ValueKind == JsonValueKind.True)
        {
            body = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body));
        }

        return new Answer(root.GetProperty("statusCode").GetInt32(), headers, body, raw);
    }

    public override string ToString() => $"{Status} {Body}";
}
