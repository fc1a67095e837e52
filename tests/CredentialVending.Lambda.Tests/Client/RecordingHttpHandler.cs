using System.Net;

namespace CredentialVending.Lambda.Tests.Client;

/// <summary>One request as the client sent it, copied at send time (the client disposes its content afterwards).</summary>
internal sealed record RecordedRequest(
    HttpMethod Method,
    Uri Uri,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    byte[] Body);

/// <summary>Stands in for the Runtime API at the HTTP level: records every request and answers what the test says.</summary>
internal sealed class RecordingHttpHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, HttpResponseMessage> _answer;

    public RecordingHttpHandler(Func<HttpRequestMessage, HttpResponseMessage>? answer = null) =>
        _answer = answer ?? (_ => new HttpResponseMessage(HttpStatusCode.Accepted));

    public List<RecordedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = request.Headers.ToDictionary(header => header.Key, header => string.Join(",", header.Value), StringComparer.OrdinalIgnoreCase);
        Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers.ContentType?.ToString(), body));
        return _answer(request);
    }
}
