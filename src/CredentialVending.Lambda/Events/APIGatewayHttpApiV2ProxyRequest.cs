using System.Text;
using System.Text.Json;

namespace CredentialVending.Lambda.Events;

/// <summary>
/// An API Gateway HTTP API event, payload format 2.0, as API Gateway sends it: header names lowercased,
/// repeated query parameters joined with commas, binary bodies base64-encoded. Named as in Amazon.Lambda.APIGatewayEvents.
/// </summary>
public sealed record APIGatewayHttpApiV2ProxyRequest
{
    public string? Version { get; init; }
    public string? RouteKey { get; init; }
    public string? RawPath { get; init; }
    public string? RawQueryString { get; init; }
    public IReadOnlyList<string>? Cookies { get; init; }
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
    public IReadOnlyDictionary<string, string>? QueryStringParameters { get; init; }
    public IReadOnlyDictionary<string, string>? PathParameters { get; init; }
    public IReadOnlyDictionary<string, string>? StageVariables { get; init; }
    public ProxyRequestContext? RequestContext { get; init; }
    public string? Body { get; init; }
    public bool IsBase64Encoded { get; init; }

    /// <summary>A header by name, whatever its case (API Gateway lowercases them; hand-written events may not).</summary>
    public string? GetHeader(string name)
    {
        if (Headers is null)
        {
            return null;
        }

        if (Headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var (key, candidate) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The body as bytes, base64-decoded when API Gateway encoded it.</summary>
    public byte[] GetBodyBytes()
    {
        if (string.IsNullOrEmpty(Body))
        {
            return [];
        }

        return IsBase64Encoded ? Convert.FromBase64String(Body) : Encoding.UTF8.GetBytes(Body);
    }

    public sealed record ProxyRequestContext
    {
        public string? AccountId { get; init; }
        public string? ApiId { get; init; }
        public AuthorizerDescription? Authorizer { get; init; }
        public string? DomainName { get; init; }
        public string? DomainPrefix { get; init; }
        public HttpDescription? Http { get; init; }
        public string? RequestId { get; init; }
        public string? RouteKey { get; init; }
        public string? Stage { get; init; }
        public string? Time { get; init; }
        public long TimeEpoch { get; init; }
    }

    public sealed record HttpDescription
    {
        public string? Method { get; init; }
        public string? Path { get; init; }
        public string? Protocol { get; init; }
        public string? SourceIp { get; init; }
        public string? UserAgent { get; init; }
    }

    public sealed record AuthorizerDescription
    {
        public JwtDescription? Jwt { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("iam")]
        public IAMDescription? IAM { get; init; }

        public IReadOnlyDictionary<string, JsonElement>? Lambda { get; init; }
    }

    public sealed record JwtDescription
    {
        public IReadOnlyDictionary<string, string>? Claims { get; init; }
        public IReadOnlyList<string>? Scopes { get; init; }
    }

    public sealed record IAMDescription
    {
        public string? AccessKey { get; init; }
        public string? AccountId { get; init; }
        public string? CallerId { get; init; }
        public JsonElement? CognitoIdentity { get; init; }
        public string? PrincipalOrgId { get; init; }
        public string? UserArn { get; init; }
        public string? UserId { get; init; }
    }
}
