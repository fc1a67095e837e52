using System.Text.Json.Serialization.Metadata;
using CredentialVending.Common;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Http;

/// <summary>What a handler returns: an answer, or a refusal the host answers as problem+json with the request's id.</summary>
public sealed class RouteResult
{
    private RouteResult(APIGatewayHttpApiV2ProxyResponse? answer, Refusal? refusal)
    {
        Answer = answer;
        Refusal = refusal;
    }

    public APIGatewayHttpApiV2ProxyResponse? Answer { get; }
    public Refusal? Refusal { get; }

    public static implicit operator RouteResult(APIGatewayHttpApiV2ProxyResponse answer) => new(answer, null);

    public static implicit operator RouteResult(Refusal refusal) => new(null, refusal);

    /// <summary>A JSON answer, <c>no-store</c> unless <paramref name="headers"/> says otherwise.</summary>
    public static RouteResult Json<T>(int status, T body, JsonTypeInfo<T> type, IReadOnlyDictionary<string, string>? headers = null) =>
        HttpAnswer.Json(status, body, type, headers);

    /// <summary>A JSON answer the route wrote itself (a document quoted raw), <c>no-store</c> like every other.</summary>
    public static RouteResult Json(int status, string body, IReadOnlyDictionary<string, string>? headers = null) =>
        HttpAnswer.RawJson(status, body, headers);

    public static RouteResult FromRefusal(Refusal refusal) => refusal;

    public static RouteResult FromAnswer(APIGatewayHttpApiV2ProxyResponse answer) => answer;

    public APIGatewayHttpApiV2ProxyResponse ToAnswer(string? requestId) => Answer ?? HttpAnswer.Problem(Refusal!, requestId);
}
