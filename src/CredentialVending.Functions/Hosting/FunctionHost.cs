using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Lambda;
using CredentialVending.Lambda.Bootstrap;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Functions.Hosting;

/// <summary>
/// One function's router: finds the route of an HTTP API event and runs it. Reading the event, the deadline and the
/// answers to failures are the <see cref="HandlerWrapper{TInput, TOutput}"/>'s, with <see cref="FailureAnswers"/>.
/// </summary>
public sealed class FunctionHost
{
    // Time to answer 503 before Lambda's deadline ends the invocation without a word to the caller.
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<Route> _routes;
    private readonly RouteMatcher _matcher;
    private readonly FunctionServices? _services;
    private readonly string? _configurationProblem;
    private readonly HandlerWrapper<APIGatewayHttpApiV2ProxyRequest, APIGatewayHttpApiV2ProxyResponse> _wrapper;

    public FunctionHost(string function, FunctionServices services)
        : this(function, RouteTable.For(function), services, null)
    {
    }

    /// <summary>A host serving <paramref name="routes"/> instead of the route table's: the seam for tests of the host itself.</summary>
    internal FunctionHost(string function, IReadOnlyList<Route> routes, FunctionServices services)
        : this(function, routes, services, null)
    {
    }

    private FunctionHost(string function, IReadOnlyList<Route> routes, FunctionServices? services, string? configurationProblem)
    {
        Function = function;
        _routes = routes;
        _matcher = new RouteMatcher(_routes);
        _services = services;
        _configurationProblem = configurationProblem;
        _wrapper = new(RouteAsync, LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest, LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyResponse, FailureAnswers.Instance, DeadlineMargin);
    }

    public string Function { get; }

    /// <summary>Where the invocation's EMF record goes: stdout, which Lambda sends to the function's log group.</summary>
    public TextWriter MetricsOutput { get; init; } = Console.Out;

    /// <summary>The EMF record's <c>level</c>: one Lambda's log filter keeps at the function's application log level.</summary>
    public string MetricsLevel { get; init; } = EmfRecord.LevelFor(Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL"));

    /// <summary>
    /// A function whose environment cannot serve (a table variable unset, a value that does not read): it still answers
    /// every request, 503 <c>unavailable</c> like any dependency it cannot reach, and logs the cause with each, rather than
    /// leaving callers API Gateway's bare 500 for an init error.
    /// </summary>
    public static FunctionHost Misconfigured(string function, string problem) => new(function, RouteTable.For(function), null, problem);

    public async Task<byte[]> HandleAsync(byte[] payload, ILambdaContext lambda, CancellationToken cancellationToken)
    {
        // One EMF record per invocation (docs/api.md "Metrics"), written before the loop posts the answer, so that a
        // process frozen or ended right after the answer has still logged it.
        var metrics = InvocationMetrics.Begin();
        var answer = await _wrapper.InvokeAsync(payload, lambda, cancellationToken).ConfigureAwait(false);
        await MetricsOutput.WriteLineAsync(EmfRecord.Write(metrics, Function, lambda.AwsRequestId, answer.StatusCode, (_services?.Time ?? TimeProvider.System).GetUtcNow(), MetricsLevel)).ConfigureAwait(false);
        await MetricsOutput.FlushAsync(cancellationToken).ConfigureAwait(false);
        return HttpAnswer.Serialize(answer);
    }

    /// <summary>The answer to a raw event, through the same wrapper the loop calls: for a host run in a test's process.</summary>
    public Task<APIGatewayHttpApiV2ProxyResponse> HandleEventAsync(byte[] payload, ILambdaContext lambda, CancellationToken cancellationToken) =>
        _wrapper.InvokeAsync(payload, lambda, cancellationToken);

    /// <summary>The router: finds the route and runs it. The wrapper has read the event and answers what the route cannot.</summary>
    private async Task<APIGatewayHttpApiV2ProxyResponse> RouteAsync(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext lambda, CancellationToken cancellationToken)
    {
        var method = request.RequestContext!.Http!.Method!;
        var path = (request.RawPath ?? request.RequestContext.Http.Path)!;
        var requestId = RouteContext.RequestIdOf(request, lambda);
        // Said once for every line of the invocation, the router's, the route's and the wrapper's.
        lambda.Logger.AppendKey(JsonLineLogger.Keys.RequestId, requestId);
        lambda.Logger.AppendKey("function", Function);

        var (route, parameters, miss) = Find(request, method, path);
        InvocationMetrics.Tenant(parameters.GetValueOrDefault("tenantId"));
        if (route is null)
        {
            return miss == RouteMatcher.Kind.MethodNotAllowed
                ? HttpAnswer.Problem(Codes.MethodNotAllowed, $"{path} does not take {method}.", requestId)
                : HttpAnswer.Problem(Codes.NotFound, $"The {Function} function serves no route at {path}.", requestId);
        }

        lambda.Logger.AppendKey("route", route.RouteKey);
        lambda.Logger.AppendKey("tenantId", parameters.GetValueOrDefault("tenantId"));
        if (_configurationProblem is not null || _services is null)
        {
            lambda.Logger.Log(LogLevel.Error, "The function is misconfigured.", [new("cause", _configurationProblem)]);
            return HttpAnswer.Problem(new Refusal(Codes.Unavailable, "The service is not configured to answer; the cause is logged under this request id.", RetryAfter: FailureAnswers.Unavailable), requestId);
        }

        var context = new RouteContext(request, parameters, lambda, _services);
        return await RouteRunner.RunAsync(route, context, cancellationToken).ConfigureAwait(false);
    }

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
