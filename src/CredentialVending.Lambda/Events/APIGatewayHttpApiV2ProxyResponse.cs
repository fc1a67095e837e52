namespace CredentialVending.Lambda.Events;

/// <summary>The answer to an HTTP API event, payload format 2.0.</summary>
public sealed record APIGatewayHttpApiV2ProxyResponse
{
    public int StatusCode { get; init; }
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
    public IReadOnlyList<string>? Cookies { get; init; }
    public string? Body { get; init; }
    public bool IsBase64Encoded { get; init; }
}
