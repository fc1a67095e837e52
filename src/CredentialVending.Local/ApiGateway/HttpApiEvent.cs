using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CredentialVending.Local.ApiGateway;

/// <summary>One HTTP request, as the API Gateway emulator received it.</summary>
public sealed record HttpApiRequest
{
    public required string Method { get; init; }
    public required string Path { get; init; }
    public string RawQueryString { get; init; } = string.Empty;

    /// <summary>Headers as received; repeated headers already comma-joined.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public byte[] Body { get; init; } = [];
    public string SourceIp { get; init; } = "127.0.0.1";
    public string Protocol { get; init; } = "HTTP/1.1";

    /// <summary>The route key API Gateway matched ("POST /v1/tenants/{tenantId}/credentials"), or "$default".</summary>
    public string RouteKey { get; init; } = "$default";
    public IReadOnlyDictionary<string, string>? PathParameters { get; init; }

    /// <summary>Set when the AWS_IAM authorizer verified a signature: the signer's ARN.</summary>
    public string? IamUserArn { get; init; }
    public string? IamAccessKey { get; init; }
}

/// <summary>
/// Turns an HTTP request into an API Gateway HTTP API event of payload format 2.0, as API Gateway does:
/// lowercased header names, cookies apart, repeated query parameters comma-joined, binary bodies in base64.
/// </summary>
public static class HttpApiEvent
{
    public static byte[] Create(HttpApiRequest request, DateTimeOffset now, string? requestId = null)
    {
        requestId ??= Convert.ToBase64String(Guid.NewGuid().ToByteArray())[..16].Replace('/', 'x').Replace('+', 'y') + "=";
        var headers = new JsonObject();
        var cookies = new JsonArray();
        foreach (var (name, value) in request.Headers)
        {
            var key = name.ToLowerInvariant();
            if (key == "cookie")
            {
                foreach (var cookie in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    cookies.Add(cookie);
                }

                continue;
            }

            headers[key] = headers[key] is { } existing ? $"{existing.GetValue<string>()},{value}" : value;
        }

        var query = new JsonObject();
        foreach (var pair in request.RawQueryString.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((at < 0 ? pair : pair[..at]).Replace('+', ' '));
            var value = at < 0 ? string.Empty : Uri.UnescapeDataString(pair[(at + 1)..].Replace('+', ' '));
            query[name] = query[name] is { } existing ? $"{existing.GetValue<string>()},{value}" : value;
        }

        var context = new JsonObject
        {
            ["accountId"] = "123456789012",
            ["apiId"] = "local",
            ["domainName"] = "localhost",
            ["domainPrefix"] = "localhost",
            ["http"] = new JsonObject
            {
                ["method"] = request.Method,
                ["path"] = request.Path,
                ["protocol"] = request.Protocol,
                ["sourceIp"] = request.SourceIp,
                ["userAgent"] = request.Headers.FirstOrDefault(h => h.Key.Equals("user-agent", StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty,
            },
            ["requestId"] = requestId,
            ["routeKey"] = request.RouteKey,
            ["stage"] = "$default",
            ["time"] = now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
            ["timeEpoch"] = now.ToUnixTimeMilliseconds(),
        };
        if (request.IamUserArn is not null)
        {
            context["authorizer"] = new JsonObject
            {
                ["iam"] = new JsonObject
                {
                    ["accessKey"] = request.IamAccessKey,
                    ["accountId"] = "123456789012",
                    ["callerId"] = request.IamUserArn.Split('/').Last(),
                    ["principalOrgId"] = null,
                    ["userArn"] = request.IamUserArn,
                    ["userId"] = request.IamUserArn.Split('/').Last(),
                },
            };
        }

        var textual = IsText(headers["content-type"]?.GetValue<string>()) && IsUtf8(request.Body);
        var evt = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = request.RouteKey,
            ["rawPath"] = request.Path,
            ["rawQueryString"] = request.RawQueryString,
            ["headers"] = headers,
            ["requestContext"] = context,
            ["isBase64Encoded"] = request.Body.Length > 0 && !textual,
        };
        if (cookies.Count > 0)
        {
            evt["cookies"] = cookies;
        }

        if (query.Count > 0)
        {
            evt["queryStringParameters"] = query;
        }

        if (request.PathParameters is { Count: > 0 } parameters)
        {
            evt["pathParameters"] = new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
        }

        if (request.Body.Length > 0)
        {
            evt["body"] = textual ? Encoding.UTF8.GetString(request.Body) : Convert.ToBase64String(request.Body);
        }

        return Encoding.UTF8.GetBytes(evt.ToJsonString());
    }

    // API Gateway passes text media types through as text and base64-encodes everything else.
    private static bool IsText(string? contentType) =>
        contentType is null || contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static bool IsUtf8(byte[] body)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetString(body);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
