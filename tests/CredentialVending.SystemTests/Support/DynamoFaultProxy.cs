using System.Net.Http.Headers;
using CredentialVending.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CredentialVending.SystemTests.Support;

/// <summary>What the proxy answers for the DynamoDB operation it is told to garble, instead of DynamoDB's answer.</summary>
public enum DynamoGarble
{
    /// <summary>200 with an HTML page, as a captive portal or a misrouted proxy answers.</summary>
    Html,

    /// <summary>200 with DynamoDB's JSON cut off halfway.</summary>
    TruncatedJson,

    /// <summary>400 with an error type no SDK knows.</summary>
    UnknownError,

    /// <summary>502 with an HTML page, as a load balancer answers.</summary>
    BadGateway,

    /// <summary>200 with an item whose fields are no lease's (issuedAt is no date).</summary>
    UnreadableItem,
}

/// <summary>
/// A loopback HTTP proxy in front of dynalite that forwards every DynamoDB call, except the one operation it is told to
/// garble (<c>X-Amz-Target</c>, such as <c>DynamoDB_20120810.Query</c>), which it answers itself without forwarding.
/// </summary>
public sealed class DynamoFaultProxy : IAsyncDisposable
{
    public const string UnknownErrorMessage = "dynamodb-error-text-that-no-log-may-repeat";

    private static readonly string[] ForwardedHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Target", "X-Amz-Security-Token", "amz-sdk-invocation-id"];

    private readonly WebApplication _app;
    private readonly HttpClient _dynalite;

    private DynamoFaultProxy(WebApplication app, Uri dynalite)
    {
        _app = app;
        _dynalite = new HttpClient { BaseAddress = dynalite };
    }

    public Uri Endpoint { get; private set; } = null!;

    private int _garbled;

    /// <summary>How many answers the proxy garbled: a test shows its fault was met, not some other failure.</summary>
    public int Garbled => Volatile.Read(ref _garbled);

    /// <summary>The operation to garble (null: forward everything) and how.</summary>
    public (string Operation, DynamoGarble Garble)? Fault { get; set; }

    /// <summary>Every operation received, in order (<c>GetItem</c>, <c>UpdateItem</c>...).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Operations { get; } = new();

    /// <summary>
    /// An operation held back until another arrives (or five seconds pass): a caller that sends the second only after
    /// the first's answer never releases it. <see cref="Released"/> says whether the other came in time.
    /// </summary>
    public (string Held, string Until)? Hold { get; set; }

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Released => _released.Task.IsCompleted;

    public static async Task<DynamoFaultProxy> StartAsync(Uri dynalite)
    {
        var app = LoopbackWebApp.CreateBuilder().Build();
        var proxy = new DynamoFaultProxy(app, dynalite);
        app.Run(proxy.HandleAsync);
        proxy.Endpoint = await LoopbackWebApp.StartAsync(app);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _dynalite.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        var operation = target.StartsWith("DynamoDB_20120810.", StringComparison.Ordinal) ? target["DynamoDB_20120810.".Length..] : target;
        Operations.Enqueue(operation);
        if (Hold is { } hold && operation == hold.Until)
        {
            _released.TrySetResult();
        }
        else if (Hold is { } held && operation == held.Held)
        {
            await Task.WhenAny(_released.Task, Task.Delay(TimeSpan.FromSeconds(5), http.RequestAborted));
        }

        if (Fault is { } fault && target == "DynamoDB_20120810." + fault.Operation)
        {
            Interlocked.Increment(ref _garbled);
            await GarbleAsync(http.Response, fault.Garble);
            return;
        }

        using var forward = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body.ToArray()) };
        forward.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(http.Request.ContentType ?? "application/x-amz-json-1.0");
        foreach (var name in ForwardedHeaders)
        {
            if (http.Request.Headers.TryGetValue(name, out var value))
            {
                forward.Headers.TryAddWithoutValidation(name, value.ToString());
            }
        }

        using var answer = await _dynalite.SendAsync(forward, http.RequestAborted);
        http.Response.StatusCode = (int)answer.StatusCode;
        http.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
        await answer.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private static async Task GarbleAsync(HttpResponse response, DynamoGarble garble)
    {
        var (status, type, text) = garble switch
        {
            DynamoGarble.Html => (200, "text/html", "<!DOCTYPE html><html><body><h1>Please sign in</h1></body></html>"),
            DynamoGarble.TruncatedJson => (200, "application/x-amz-json-1.0", """{"Items":[{"tenantId":{"S":"a"},"leaseId":{"S":"01J"""),
            DynamoGarble.UnknownError => (400, "application/x-amz-json-1.0", $$"""{"__type":"com.amazonaws.dynamodb.v20120810#SomethingNewException","message":"{{UnknownErrorMessage}}"}"""),
            DynamoGarble.BadGateway => (502, "text/html", "<html><body>502 Bad Gateway</body></html>"),
            _ => (200, "application/x-amz-json-1.0", """{"Count":1,"ScannedCount":1,"Items":[{"tenantId":{"S":"x"},"leaseId":{"S":"01JDQ3ZV7W5K8Q4T0N9B2XG6AC"},"issuedAt":{"S":"not a date"},"expiresAt":{"N":"12"}}],"Item":{"tenantId":{"S":"x"}}}"""),
        };
        response.StatusCode = status;
        response.ContentType = type;
        await response.WriteAsync(text);
    }
}
