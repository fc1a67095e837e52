using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace CredentialVending.SystemTests.Template;

/// <summary>One DynamoDB call as a function sent it: the operation, the table, the index and the item's partition key.</summary>
public sealed record DynamoCall(string Handler, string Operation, string Table, string? Index, string? PartitionKey);

/// <summary>
/// A loopback proxy in front of dynalite that records every DynamoDB call a function sends (its X-Amz-Target and body),
/// one listener a function, so each call is known by the function that made it. Requests and answers pass unchanged.
/// </summary>
public sealed class DynamoRecorder : IAsyncDisposable
{
    private static readonly HttpClient Forward = new();
    private readonly HttpListener _listener = new();
    private readonly Uri _target;
    private readonly string _handler;
    private readonly ConcurrentQueue<DynamoCall> _calls;
    private readonly Task _loop;

    private DynamoRecorder(string handler, Uri target, int port, ConcurrentQueue<DynamoCall> calls)
    {
        _handler = handler;
        _target = target;
        _calls = calls;
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    public static DynamoRecorder Start(string handler, Uri dynalite, ConcurrentQueue<DynamoCall> calls) =>
        new(handler, dynalite, CredentialVending.Local.Hosting.LoopbackWebApp.FreePort(), calls);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
        var target = context.Request.Headers["X-Amz-Target"] ?? string.Empty;
        Record(target, body.ToArray());

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(_target, context.Request.RawUrl)) { Content = new ByteArrayContent(body.ToArray()) };
        foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
        {
            var value = context.Request.Headers[name]!;
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var answer = await Forward.SendAsync(request).ConfigureAwait(false);
        var bytes = await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var header in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[header.Key] = string.Join(",", header.Value);
            }
        }

        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        context.Response.Close();
    }

    private void Record(string target, byte[] body)
    {
        var operation = target.Contains('.', StringComparison.Ordinal) ? target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..] : target;
        using var json = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
        var root = json.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        // Both tables are keyed by tenantId first: the partition key of an item call, what dynamodb:LeadingKeys compares.
        string? partition = null;
        foreach (var member in new[] { "Key", "Item" })
        {
            if (root.TryGetProperty(member, out var item) && item.TryGetProperty("tenantId", out var key) && key.TryGetProperty("S", out var text))
            {
                partition = text.GetString();
            }
        }

        _calls.Enqueue(new DynamoCall(_handler, operation, Text("TableName") ?? string.Empty, Text("IndexName"), partition));
    }
}
