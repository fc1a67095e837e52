using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CredentialVending.Common;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Http;

/// <summary>Builds the payload 2.0 answers: JSON bodies and problem+json refusals.</summary>
public static class HttpAnswer
{
    public const string JsonType = "application/json";
    public const string ProblemType = "application/problem+json";

    /// <summary>A JSON answer: <c>no-store</c> unless <paramref name="headers"/> says otherwise, since every answer names a tenant's people or secrets.</summary>
    public static APIGatewayHttpApiV2ProxyResponse Json<T>(int status, T body, JsonTypeInfo<T> type, IReadOnlyDictionary<string, string>? headers = null) =>
        RawJson(status, JsonSerializer.Serialize(body, type), headers);

    /// <summary>A JSON answer whose body the route wrote itself, with the same headers as <see cref="Json{T}"/>.</summary>
    public static APIGatewayHttpApiV2ProxyResponse RawJson(int status, string body, IReadOnlyDictionary<string, string>? headers = null)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["content-type"] = JsonType, ["cache-control"] = "no-store" };
        if (headers is not null)
        {
            foreach (var (key, value) in headers)
            {
                all[key] = value;
            }
        }

        return new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = status,
            Headers = all,
            Body = body,
        };
    }

    public static APIGatewayHttpApiV2ProxyResponse Problem(Refusal refusal, string? requestId)
    {
        var (status, title) = ProblemCodes.Describe(refusal.Code);
        // Every problem answer is made here, so this is the one place each refusal is counted, by its code.
        InvocationMetrics.Refused(refusal.Code);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["content-type"] = ProblemType,
            ["cache-control"] = "no-store",
        };
        if (refusal.RetryAfter is { } retryAfter)
        {
            headers["retry-after"] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (refusal.Code == Codes.InvalidToken)
        {
            headers["www-authenticate"] = "Bearer error=\"invalid_token\"";
        }

        var problem = new Problem("about:blank", title, status, refusal.Code, refusal.Detail, requestId, refusal.Errors);
        return new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = status,
            Headers = headers,
            Body = JsonSerializer.Serialize(problem, FunctionsJsonContext.Default.Problem),
        };
    }

    public static APIGatewayHttpApiV2ProxyResponse Problem(string code, string detail, string? requestId) =>
        Problem(new Refusal(code, detail), requestId);

    public static byte[] Serialize(APIGatewayHttpApiV2ProxyResponse response) =>
        JsonSerializer.SerializeToUtf8Bytes(response, Lambda.LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyResponse);

    public static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
