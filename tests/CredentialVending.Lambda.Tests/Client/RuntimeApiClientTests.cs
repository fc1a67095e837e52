using System.Net;
using System.Text;
using System.Text.Json;
using CredentialVending.Lambda.Client;

namespace CredentialVending.Lambda.Tests.Client;

/// <summary>
/// The client against the Runtime API 2018-06-01 as AWS documents it (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
/// and the OpenAPI file it links, runtime-api.zip).
/// </summary>
public sealed class RuntimeApiClientTests
{
    private const string RuntimeApi = "127.0.0.1:9001";
    private const string RequestId = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";
    private const string FunctionArn = "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime";
    private const string TraceId = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";

    [Fact]
    public async Task Next_invocation_is_a_get_on_the_runtime_api_address()
    {
        var handler = new RecordingHttpHandler(_ => NextAnswer("{}"));
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);

        await client.GetNextInvocationAsync(CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(new Uri("http://127.0.0.1:9001/2018-06-01/runtime/invocation/next"), request.Uri);
    }

    [Fact]
    public async Task Next_invocation_reads_the_payload_and_the_invocation_headers()
    {
        var handler = new RecordingHttpHandler(_ => NextAnswer("""{"key":"value"}"""));
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);

        var invocation = await client.GetNextInvocationAsync(CancellationToken.None);

        Assert.Equal(RequestId, invocation.RequestId);
        Assert.Equal(1542409706888, invocation.DeadlineMs);
        Assert.Equal(FunctionArn, invocation.InvokedFunctionArn);
        Assert.Equal(TraceId, invocation.TraceId);
        Assert.Equal("""{"key":"value"}""", Encoding.UTF8.GetString(invocation.Payload));
    }

    [Fact]
    public async Task Next_invocation_with_only_a_request_id_leaves_the_rest_empty()
    {
        var handler = new RecordingHttpHandler(_ =>
        {
            var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
            answer.Headers.Add(RuntimeApiHeaders.RequestId, RequestId);
            return answer;
        });
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);

        var invocation = await client.GetNextInvocationAsync(CancellationToken.None);

        Assert.Equal(0, invocation.DeadlineMs);
        Assert.Equal(string.Empty, invocation.InvokedFunctionArn);
        Assert.Null(invocation.TraceId);
    }

    [Fact]
    public async Task Next_invocation_without_a_request_id_is_refused()
    {
        var handler = new RecordingHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetNextInvocationAsync(CancellationToken.None));
        Assert.Contains(RuntimeApiHeaders.RequestId, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_invocation_answered_with_a_container_error_throws()
    {
        var handler = new RecordingHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetNextInvocationAsync(CancellationToken.None));
    }

    [Fact]
    public void The_http_client_has_no_timeout()
    {
        var http = new HttpClient(new RecordingHttpHandler());
        using var client = new RuntimeApiClient(http, RuntimeApi);

        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
    }

    [Fact]
    public async Task A_response_is_posted_with_its_body_under_the_request_id()
    {
        var handler = new RecordingHttpHandler();
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);
        var body = Encoding.UTF8.GetBytes("""{"statusCode":200}""");

        await client.SendResponseAsync(RequestId, body, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri($"http://127.0.0.1:9001/2018-06-01/runtime/invocation/{RequestId}/response"), request.Uri);
        Assert.Equal(body, request.Body);
        Assert.Equal("application/json", request.ContentType);
    }

    [Fact]
    public async Task A_request_id_is_escaped_in_the_path()
    {
        var handler = new RecordingHttpHandler();
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);

        await client.SendResponseAsync("a/b c", [], CancellationToken.None);

        Assert.Equal("/2018-06-01/runtime/invocation/a%2Fb%20c/response", Assert.Single(handler.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public async Task A_response_the_runtime_api_refuses_throws()
    {
        var handler = new RecordingHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge));
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendResponseAsync(RequestId, [], CancellationToken.None));
    }

    [Fact]
    public async Task An_invocation_error_is_posted_in_lambdas_error_format()
    {
        var handler = new RecordingHttpHandler();
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);
        var error = new LambdaError("Error parsing event data.", "InvalidEventDataException", ["at Handler.Parse()", "at Handler.Run()"]);

        await client.ReportInvocationErrorAsync(RequestId, error, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri($"http://127.0.0.1:9001/2018-06-01/runtime/invocation/{RequestId}/error"), request.Uri);
        AssertLambdaErrorRequest(request, "Error parsing event data.", "InvalidEventDataException", ["at Handler.Parse()", "at Handler.Run()"]);
    }

    [Fact]
    public async Task An_initialization_error_is_posted_in_lambdas_error_format()
    {
        var handler = new RecordingHttpHandler();
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);

        await client.ReportInitializationErrorAsync(new LambdaError("Failed to load function.", "InvalidFunctionException", []), CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("http://127.0.0.1:9001/2018-06-01/runtime/init/error"), request.Uri);
        AssertLambdaErrorRequest(request, "Failed to load function.", "InvalidFunctionException", []);
    }

    [Fact]
    public async Task An_error_the_runtime_api_refuses_throws()
    {
        var handler = new RecordingHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden));
        using var client = new RuntimeApiClient(new HttpClient(handler), RuntimeApi);

        await Assert.ThrowsAsync<HttpRequestException>(
            () => client.ReportInvocationErrorAsync(RequestId, new LambdaError("m", "T", []), CancellationToken.None));
    }

    /// <summary>
    /// The OpenAPI file's "standard AWS Lambda error format": content type application/vnd.aws.lambda.error+json, a body of
    /// exactly errorMessage, errorType and stackTrace (an array of strings), and the type again in Lambda-Runtime-Function-Error-Type.
    /// </summary>
    private static void AssertLambdaErrorRequest(RecordedRequest request, string message, string type, string[] stackTrace)
    {
        Assert.Equal(type, request.Headers[RuntimeApiHeaders.FunctionErrorType]);
        Assert.Equal("application/vnd.aws.lambda.error+json", request.ContentType);

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(["errorMessage", "errorType", "stackTrace"], root.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
        Assert.Equal(message, root.GetProperty("errorMessage").GetString());
        Assert.Equal(type, root.GetProperty("errorType").GetString());
        Assert.Equal(stackTrace, root.GetProperty("stackTrace").EnumerateArray().Select(line => line.GetString()));
    }

    private static HttpResponseMessage NextAnswer(string payload)
    {
        var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        answer.Headers.Add(RuntimeApiHeaders.RequestId, RequestId);
        answer.Headers.Add(RuntimeApiHeaders.DeadlineMs, "1542409706888");
        answer.Headers.Add(RuntimeApiHeaders.InvokedFunctionArn, FunctionArn);
        answer.Headers.TryAddWithoutValidation(RuntimeApiHeaders.TraceId, TraceId);
        return answer;
    }
}
