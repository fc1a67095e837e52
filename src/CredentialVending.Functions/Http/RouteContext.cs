using CredentialVending.Functions.Hosting;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Http;

/// <summary>What a route handler is given: the event, the path's parameters, the invocation and the function's services.</summary>
public sealed class RouteContext
{
    public RouteContext(APIGatewayHttpApiV2ProxyRequest request, IReadOnlyDictionary<string, string> pathParameters, ILambdaContext lambda, FunctionServices services)
    {
        Request = request;
        PathParameters = pathParameters;
        Lambda = lambda;
        Services = services;
    }

    public APIGatewayHttpApiV2ProxyRequest Request { get; }
    public IReadOnlyDictionary<string, string> PathParameters { get; }
    public ILambdaContext Lambda { get; }
    public FunctionServices Services { get; }
    public ILambdaLogger Logger => Lambda.Logger;

    /// <summary>The id a caller sees: API Gateway's request id when there is one, else Lambda's.</summary>
    public string RequestId => RequestIdOf(Request, Lambda);

    /// <summary>
    /// The one request id of an invocation, in its answer, its lease and its log lines: API Gateway's, which its access
    /// log and the <c>apigw-requestid</c> header show the caller; Lambda's only for an event that has none.
    /// </summary>
    public static string RequestIdOf(APIGatewayHttpApiV2ProxyRequest? request, ILambdaContext lambda) =>
        request?.RequestContext?.RequestId ?? lambda.AwsRequestId;

    public string Path(string name) => PathParameters.TryGetValue(name, out var value) ? value : string.Empty;
}

public delegate Task<APIGatewayHttpApiV2ProxyResponse> RouteHandler(RouteContext context, CancellationToken cancellationToken);

/// <summary>One route: which function serves it, its method and path template (API Gateway's route key), and its handler.</summary>
public sealed record Route(string Function, string Method, string Path, RouteHandler Handler)
{
    public string RouteKey => $"{Method} {Path}";
}
