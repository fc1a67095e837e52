using System.Globalization;
using System.Security.Cryptography;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Lambda;
using Microsoft.AspNetCore.Http.Features;

namespace CredentialVending.Local.ApiGateway;

/// <summary>
/// An emulator of an API Gateway HTTP API on loopback, for development and tests: it matches each request to a route of
/// template.yaml (else 404 <c>{"message":"Not Found"}</c>), applies the route's AWS_IAM authorizer (else 403
/// <c>{"message":"Forbidden"}</c>) and the API's CORS configuration, turns the request into a payload 2.0 event,
/// invokes the function the route names in one of its execution environments, and writes the function's answer back.
/// </summary>
public sealed class ApiGatewayEmulator : IAsyncDisposable
{
    private readonly ApiGatewayOptions _options;
    private readonly Dictionary<string, FunctionPool> _pools;
    private readonly IamAuthorizer _authorizer;
    private WebApplication? _app;

    public ApiGatewayEmulator(ApiGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _pools = options.Api.Functions.ToDictionary(
            f => f.LogicalId,
            f => new FunctionPool(options.Launch(f), options.MaxConcurrency, line => options.Log(f.LogicalId, line)),
            StringComparer.Ordinal);
        _authorizer = new IamAuthorizer(options.IamCredentials, options.Region);
        Cors = new CorsPolicy(options.Api.Cors, options.AllowedOrigins);
    }

    public CorsPolicy Cors { get; }

    /// <summary>Each template function's execution environments, by logical id (VendFunction, ...).</summary>
    public IReadOnlyDictionary<string, FunctionPool> Functions => _pools;

    /// <summary>The processes of every function alive now.</summary>
    public IEnumerable<int> ProcessIds => _pools.Values.SelectMany(p => p.ProcessIds);

    /// <summary>Where <see cref="StartAsync"/> listens; null when mounted on another app.</summary>
    public Uri? Url { get; private set; }

    /// <summary>An emulator alone on its own loopback port.</summary>
    public static async Task<ApiGatewayEmulator> StartAsync(ApiGatewayOptions options, int port = 0, CancellationToken cancellationToken = default)
    {
        var emulator = new ApiGatewayEmulator(options);
        var app = LoopbackWebApp.CreateBuilder(port).Build();
        emulator.Mount(app);
        emulator._app = app;
        emulator.Url = await LoopbackWebApp.StartAsync(app, cancellationToken).ConfigureAwait(false);
        return emulator;
    }

    /// <summary>Puts the CORS middleware on the app and the API behind every path no other endpoint of the app claims.</summary>
    public void Mount(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(Cors.InvokeAsync);
        app.MapFallback("{**path}", HandleAsync);
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var requestId = NewRequestId();
        http.Response.Headers["apigw-requestid"] = requestId;
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var at = target.IndexOf('?', StringComparison.Ordinal);
        var (rawPath, rawQuery) = at < 0 ? (target, string.Empty) : (target[..at], target[(at + 1)..]);
        var route = _options.Api.Match(request.Method, rawPath, out var parameters);
        if (route is null)
        {
            await HttpApiAnswer.WriteMessageAsync(http.Response, StatusCodes.Status404NotFound, "Not Found").ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var signer = route.IamAuthorizer ? _authorizer.Authorize(request, body) : null;
        if (route.IamAuthorizer && signer is null)
        {
            await HttpApiAnswer.WriteMessageAsync(http.Response, StatusCodes.Status403Forbidden, "Forbidden").ConfigureAwait(false);
            return;
        }

        var payload = HttpApiEvent.Create(new HttpApiRequest
        {
            Method = request.Method,
            Path = rawPath,
            RawQueryString = rawQuery,
            Headers = Headers(http),
            Body = body,
            SourceIp = http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
            Protocol = request.Protocol,
            RouteKey = route.RouteKey,
            PathParameters = parameters,
            IamUserArn = signer?.Arn,
            IamAccessKey = signer?.AccessKeyId,
        }, DateTimeOffset.UtcNow, requestId);
        InvocationResult result;
        try
        {
            // Not the client's token: as with Lambda, an invocation runs to its end even when the caller hangs up.
            result = await _pools[route.Function.LogicalId].InvokeAsync(payload, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A function that cannot start is API Gateway's 500 to the caller, and a line in the log.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (e is not OperationCanceledException)
            {
                _options.Log(route.Function.LogicalId, $"The function could not be invoked: {e.Message}");
            }

            await HttpApiAnswer.WriteMessageAsync(http.Response, StatusCodes.Status500InternalServerError, "Internal Server Error").ConfigureAwait(false);
            return;
        }

        if (!result.Succeeded)
        {
            _options.Log(route.Function.LogicalId, $"Invocation {result.RequestId} failed: {result.ErrorType} {result.ErrorBody}");
        }

        await HttpApiAnswer.WriteAsync(http.Response, result).ConfigureAwait(false);
    }

    // API Gateway adds the forwarding headers a load balancer would; the rest pass through as received.
    private static List<KeyValuePair<string, string>> Headers(HttpContext http)
    {
        var headers = http.Request.Headers.Select(h => KeyValuePair.Create(h.Key, string.Join(',', h.Value.ToArray()))).ToList();
        headers.Add(new("X-Forwarded-For", http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1"));
        headers.Add(new("X-Forwarded-Port", http.Connection.LocalPort.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("X-Forwarded-Proto", http.Request.Scheme));
        return headers;
    }

    // The shape of API Gateway's request ids: 16 base64 characters ending in '='.
    private static string NewRequestId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(11)).Replace('+', 'x').Replace('/', 'y');

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var pool in _pools.Values)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }
}
