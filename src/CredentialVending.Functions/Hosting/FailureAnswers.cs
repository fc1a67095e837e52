using Amazon.Runtime;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda.Bootstrap;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Hosting;

/// <summary>
/// What the functions answer when a route cannot: problem+json, never a stack trace or an AWS message. The log line
/// of each says what the operator needs (the failure's type and AWS error code) with the invocation's keys (route,
/// tenant, lease) that the router added.
/// </summary>
internal sealed class FailureAnswers : IInvocationAnswers<APIGatewayHttpApiV2ProxyRequest, APIGatewayHttpApiV2ProxyResponse>
{
    public static readonly TimeSpan Unavailable = TimeSpan.FromSeconds(2);

    public static FailureAnswers Instance { get; } = new();

    public bool Accepts(APIGatewayHttpApiV2ProxyRequest input) =>
        // API Gateway never sends a null header, query or path value; a hand-made event that does is refused here, not in a route.
        input.Version == "2.0" && input.RequestContext?.Http?.Method is not null && (input.RawPath ?? input.RequestContext?.Http?.Path) is not null
        && !HasNullValue(input.Headers) && !HasNullValue(input.QueryStringParameters) && !HasNullValue(input.PathParameters);

    public APIGatewayHttpApiV2ProxyResponse Unreadable(ILambdaContext context) =>
        HttpAnswer.Problem(Codes.InvalidRequest, "The event is not an API Gateway HTTP API event of payload format 2.0.", RouteContext.RequestIdOf(null, context));

    public APIGatewayHttpApiV2ProxyResponse DeadlineReached(APIGatewayHttpApiV2ProxyRequest input, ILambdaContext context)
    {
        context.Logger.Log(LogLevel.Warn, "The function's deadline came before an answer.");
        return HttpAnswer.Problem(new Refusal(Codes.Unavailable, "The service could not answer in time; try again shortly.", RetryAfter: Unavailable), RouteContext.RequestIdOf(input, context));
    }

    public APIGatewayHttpApiV2ProxyResponse Failed(APIGatewayHttpApiV2ProxyRequest input, Exception failure, ILambdaContext context)
    {
        var requestId = RouteContext.RequestIdOf(input, context);
        switch (failure)
        {
            case DependencyUnavailableException e:
                // The cause's type and AWS error code, never its message: STS's names roles, DynamoDB's can quote a key.
                context.Logger.Log(LogLevel.Warn, "A dependency is unavailable.", [new("reason", e.Message), .. DynamoFailures.Describe(e.InnerException)]);
                return HttpAnswer.Problem(new Refusal(Codes.Unavailable, e.Message, RetryAfter: e.RetryAfter), requestId);
            case var e when DynamoFailures.IsUnavailable(e) || e is AmazonServiceException:
                // An AWS failure no route turned into an answer (a missing table, credentials refused): the dependency's, and
                // the same 503 on every route, with what the operator needs to fix it in the log.
                context.Logger.Log(LogLevel.Error, "A dependency failed.", DynamoFailures.Describe(e));
                return HttpAnswer.Problem(new Refusal(Codes.Unavailable, "A service this function depends on failed; try again shortly.", RetryAfter: Unavailable), requestId);
            default:
                // A bug: 500 with no stack trace in the answer, and one log line with the failure's types and stack.
                context.Logger.Log(LogLevel.Error, "The route failed.", exception: failure);
                return HttpAnswer.Problem(Codes.InternalError, "The service failed to answer; the failure is logged under this request id.", requestId);
        }
    }

    private static bool HasNullValue(IReadOnlyDictionary<string, string>? values) => values is not null && values.Values.Any(v => v is null);
}
