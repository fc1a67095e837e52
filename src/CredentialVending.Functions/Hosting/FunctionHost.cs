using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Hosting;

/// <summary>One function: reads the HTTP API event, finds the route, runs it, and turns every outcome into an HTTP answer.</summary>
public sealed class FunctionHost
{
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<Route> _routes;
    private readonly RouteMatcher _matcher;
    private readonly FunctionServices _services;

    public FunctionHost(string function, FunctionServices services)
    {
        Function = function;
        _routes = RouteTable.For(function);
        _matcher = new RouteMatcher(_routes);
        _services = services;
    }

    public string Function { get; }

    public async Task<byte[]> HandleAsync(byte[] payload, ILambdaContext lambda, CancellationToken cancellationToken) =>
        HttpAnswer.Serialize(await HandleEventAsync(payload, lambda, cancellationToken).ConfigureAwait(false));

    public async Task<APIGatewayHttpApiV2ProxyResponse> HandleEventAsync(byte[] payload, ILambdaContext lambda, CancellationToken cancellationToken)
    {
        APIGatewayHttpApiV2ProxyRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(payload, LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest);
        }
        catch (JsonException)
        {
            request = null;
        }

        var method = request?.RequestContext?.Http?.Method;
        var path = request?.RawPath ?? request?.RequestContext?.Http?.Path;
        // API Gateway never sends a null header, query or path value; a hand-made event that does is refused here, not in a route.
        if (request is null || request.Version != "2.0" || method is null || path is null
            || HasNullValue(request.Headers) || HasNullValue(request.QueryStringParameters) || HasNullValue(request.PathParameters))
        {
            return HttpAnswer.Problem(Codes.InvalidRequest, "The event is not an API Gateway HTTP API event of payload format 2.0.", lambda.AwsRequestId);
        }

        var (route, parameters, miss) = Find(request, method, path);
        if (route is null)
        {
            return miss == RouteMatcher.Kind.MethodNotAllowed
                ? HttpAnswer.Problem(Codes.MethodNotAllowed, $"{path} does not take {method}.", request.RequestContext?.RequestId ?? lambda.AwsRequestId)
                : HttpAnswer.Problem(Codes.NotFound, $"The {Function} function serves no route at {path}.", request.RequestContext?.RequestId ?? lambda.AwsRequestId);
        }

        var context = new RouteContext(request, parameters, lambda, _services);

        // Lambda stops a function at its deadline without a word to the caller; stopping a second before it leaves
        // time to answer 503 (and a lease not written is credentials not returned).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var budget = lambda.RemainingTime - DeadlineMargin;
        if (budget > TimeSpan.Zero && budget < TimeSpan.FromHours(1))
        {
            deadline.CancelAfter(budget);
        }

        try
        {
            return await route.Handler(context, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            lambda.Logger.Log(LogLevel.Warn, "The function's deadline came before an answer.", [new("route", route.RouteKey)]);
            return HttpAnswer.Problem(new Refusal(Codes.Unavailable, "The service could not answer in time; try again shortly.", RetryAfter: TimeSpan.FromSeconds(2)), context.RequestId);
        }
        catch (DependencyUnavailableException e)
        {
            lambda.Logger.Log(LogLevel.Warn, "A dependency is unavailable.", [new("route", route.RouteKey), new("reason", e.Message)]);
            return HttpAnswer.Problem(new Refusal(Codes.Unavailable, e.Message, RetryAfter: e.RetryAfter), context.RequestId);
        }
#pragma warning disable CA1031 // A handler's failure is answered as a 500 with no stack trace, and logged once with it.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            lambda.Logger.Log(LogLevel.Error, "The route failed.", [new("route", route.RouteKey)], e);
            return HttpAnswer.Problem(Codes.InternalError, "The service failed to answer; the failure is logged under this request id.", context.RequestId);
        }
    }

    private static bool HasNullValue(IReadOnlyDictionary<string, string>? values) => values is not null && values.Values.Any(v => v is null);

    private (Route? Route, IReadOnlyDictionary<string, string> Parameters, RouteMatcher.Kind Miss) Find(APIGatewayHttpApiV2ProxyRequest request, string method, string path)
    {
        var (kind, route, parameters) = _matcher.Match(method, path);
        if (route is not null)
        {
            return (route, parameters, kind);
        }

        // On a named stage the raw path carries the stage as a prefix; API Gateway has matched the route already,
        // so its route key and path parameters are trusted then.
        var byKey = _routes.FirstOrDefault(r => r.RouteKey == request.RouteKey && string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase));
        return byKey is null
            ? (null, parameters, kind)
            : (byKey, request.PathParameters ?? new Dictionary<string, string>(), RouteMatcher.Kind.Found);
    }
}
