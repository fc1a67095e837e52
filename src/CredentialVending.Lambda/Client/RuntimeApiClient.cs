using System.Net.Http.Headers;
using System.Text.Json;

namespace CredentialVending.Lambda.Client;

/// <summary>The Lambda Runtime API client over HTTP, at <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
public sealed class RuntimeApiClient : IRuntimeApiClient, IDisposable
{
    private const string ApiVersion = "2018-06-01";
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    // The Runtime API's OpenAPI file names this type for errors: the format other AWS services read a function error in.
    private static readonly MediaTypeHeaderValue ErrorJson = new("application/vnd.aws.lambda.error+json");
    private readonly HttpClient _http;

    public RuntimeApiClient(string runtimeApi)
        : this(new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }), runtimeApi)
    {
    }

    internal RuntimeApiClient(HttpClient http, string runtimeApi)
    {
        _http = http;
        _http.BaseAddress = new Uri($"http://{runtimeApi}/{ApiVersion}/");
        // No timeout: /next long-polls until an event arrives, and Lambda freezes the process mid-request between events.
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    public async Task<InvocationRequest> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("runtime/invocation/next", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = response.Headers;
        return new InvocationRequest(
            RequestId: Header(headers, RuntimeApiHeaders.RequestId) ?? throw new InvalidOperationException($"The Runtime API sent no {RuntimeApiHeaders.RequestId} header."),
            Payload: payload,
            DeadlineMs: long.TryParse(Header(headers, RuntimeApiHeaders.DeadlineMs), out var deadline) ? deadline : 0,
            InvokedFunctionArn: Header(headers, RuntimeApiHeaders.InvokedFunctionArn) ?? string.Empty,
            TraceId: Header(headers, RuntimeApiHeaders.TraceId));
    }

    public async Task SendResponseAsync(string requestId, byte[] response, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(response);
        content.Headers.ContentType = Json;
        using var answer = await _http.PostAsync(new Uri($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        answer.EnsureSuccessStatusCode();
    }

    public Task ReportInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    public Task ReportInitializationErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync("runtime/init/error", error, cancellationToken);

    private async Task PostErrorAsync(string path, LambdaError error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, LambdaJsonContext.Default.LambdaError));
        content.Headers.ContentType = ErrorJson;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.TryAddWithoutValidation(RuntimeApiHeaders.FunctionErrorType, error.ErrorType);
        using var answer = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        answer.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => _http.Dispose();
}
