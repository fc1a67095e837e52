using CredentialVending.Common;
using CredentialVending.Functions.Hosting;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;
using CredentialVending.Vending;

namespace CredentialVending.Functions.Http;

/// <summary>What a route handler is given: the event, the path's parameters, the invocation, the function's services, and who passed the route's access.</summary>
public sealed class RouteContext
{
    private object? _input;

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

    /// <summary>The IAM principal that signed the request, as API Gateway's AWS_IAM authorizer passed it (admin routes).</summary>
    public string? IamPrincipal => Request.RequestContext?.Authorizer?.IAM?.UserArn;

    /// <summary>The tenant and its authenticated caller, on a <see cref="BearerAccess"/> route once the host has let it in.</summary>
    public TenantCaller Caller
    {
        get => field ?? throw new InvalidOperationException("Only a Bearer route's handler has a caller.");
        internal set;
    }

    /// <summary>
    /// The SAML response a saml tenant's caller posted to the credentials route (docs/api.md "SAML tenants"), which
    /// authenticates them instead of a header; never logged, never in an answer.
    /// </summary>
    public string? SamlResponse { get; internal set; }

    public string Path(string name) => PathParameters.TryGetValue(name, out var value) ? value : string.Empty;

    internal void KeepInput(object? input) => _input = input;

    internal T Input<T>() => (T)_input!;
}

public delegate Task<RouteResult> RouteHandler(RouteContext context, CancellationToken cancellationToken);

/// <summary>
/// One route: which function serves it, its method and path template (API Gateway's route key), who may call it, and
/// its handler. <see cref="Read"/>, when the route has one, reads the request (query, body) without I/O; the host runs it
/// before a Bearer route's authentication and after an Admin route's check (see <see cref="Hosting.RouteRunner"/>).
/// </summary>
public sealed record Route(string Function, string Method, string Path, RouteAccess Access, RouteHandler Handler)
{
    /// <summary>A public route: the seam for tests of the host itself.</summary>
    public Route(string function, string method, string path, RouteHandler handler)
        : this(function, method, path, RouteAccess.Public, handler)
    {
    }

    public string RouteKey => $"{Method} {Path}";

    public Func<RouteContext, Refusal?>? Read { get; private init; }

    /// <summary>A route whose handler takes what <paramref name="read"/> made of the request.</summary>
    public static Route Of<T>(string function, string method, string path, RouteAccess access, Func<RouteContext, Outcome<T>> read, Func<RouteContext, T, CancellationToken, Task<RouteResult>> handle) =>
        new(function, method, path, access, (context, ct) => handle(context, context.Input<T>(), ct))
        {
            Read = context =>
            {
                var input = read(context);
                context.KeepInput(input.Value);
                return input.Refusal;
            },
        };
}
