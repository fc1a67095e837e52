using System.Text.Json;
using Amazon.Runtime;
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
    private static readonly TimeSpan Unavailable = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<Route> _routes;
    private readonly RouteMatcher _matcher;
    private readonly FunctionServices? _services;
    private readonly string? _configurationProblem;

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
    }

    public string Function { get; }

    /// <summary>Where the invocation's EMF record goes: stdout, which Lambda sends to the function's log group.</summary>
    public TextWriter MetricsOutput { get; init; } = Console.Out;

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
        var answer = await HandleEventAsync(payload, lambda, cancellationToken).ConfigureAwait(false);
        await MetricsOutput.WriteLineAsync(EmfRecord.Write(metrics, Function, lambda.AwsRequestId, answer.StatusCode, (_services?.Time ?? TimeProvider.System).GetUtcNow())).ConfigureAwait(false);
        await MetricsOutput.FlushAsync(cancellationToken).ConfigureAwait(false);
        return HttpAnswer.Serialize(answer);
    }

    public async Task<APIGatewayHttpApiV2ProxyResponse> HandleEventAsync(byte[] payload, ILambdaContext lambda, CancellationToken cancellationToken)
    {
        APIGatewayHttpApiV2ProxyRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(payload, LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string escaping a lone surrogate ("\ud800") is valid JSON but no .NET string.
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
        InvocationMetrics.Tenant(parameters.GetValueOrDefault("tenantId"));
        if (route is null)
        {
            return miss == RouteMatcher.Kind.MethodNotAllowed
                ? HttpAnswer.Problem(Codes.MethodNotAllowed, $"{path} does not take {method}.", request.RequestContext?.RequestId ?? lambda.AwsRequestId)
                : HttpAnswer.Problem(Codes.NotFound, $"The {Function} function serves no route at {path}.", request.RequestContext?.RequestId ?? lambda.AwsRequestId);
        }

        if (_configurationProblem is not null || _services is null)
        {
            lambda.Logger.Log(LogLevel.Error, "The function is misconfigured.", [new("route", route.RouteKey), new("cause", _configurationProblem)]);
            return HttpAnswer.Problem(new Refusal(Codes.Unavailable, "The service is not configured to answer; the cause is logged under this request id.", RetryAfter: Unavailable), request.RequestContext?.RequestId ?? lambda.AwsRequestId);
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
            return HttpAnswer.Problem(new Refusal(Codes.Unavailable, "The service could not answer in time; try again shortly.", RetryAfter: Unavailable), context.RequestId);
        }
        catch (DependencyUnavailableException e)
        {
            // The cause's type and AWS error code, never its message: STS's names roles, DynamoDB's can quote a key.
            lambda.Logger.Log(LogLevel.Warn, "A dependency is unavailable.", [new("route", route.RouteKey), new("reason", e.Message), .. DynamoFailures.Describe(e.InnerException)]);
            return HttpAnswer.Problem(new Refusal(Codes.Unavailable, e.Message, RetryAfter: e.RetryAfter), context.RequestId);
        }
        catch (Exception e) when (DynamoFailures.IsUnavailable(e) || e is AmazonServiceException)
        {
            // An AWS failure no route turned into an answer (a missing table, credentials refused): the dependency's, and
            // the same 503 on every route, with what the operator needs to fix it in the log.
            lambda.Logger.Log(LogLevel.Error, "A dependency failed.", [new("route", route.RouteKey), .. DynamoFailures.Describe(e)]);
            return HttpAnswer.Problem(new Refusal(Codes.Unavailable, "A service this function depends on failed; try again shortly.", RetryAfter: Unavailable), context.RequestId);
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
