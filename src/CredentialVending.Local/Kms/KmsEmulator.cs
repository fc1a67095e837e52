using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Kms;

/// <summary>One call a <see cref="KmsEmulator"/> answered; it never holds a message or a signature.</summary>
public sealed record KmsCall(string Action, string? KeyId, int StatusCode, string? ErrorCode);

/// <summary>
/// A KMS emulator for development and tests, one instance per regional endpoint. It speaks the AWS JSON 1.1 protocol
/// (<c>POST /</c>, <c>Content-Type: application/x-amz-json-1.1</c>, <c>X-Amz-Target: TrentService.Action</c>, errors
/// as <c>{"__type", "message"}</c>) and checks SigV4 signatures (scope <c>{region}/kms</c>) as the STS emulator does. It
/// serves CreateKey, CreateAlias, DescribeKey, GetPublicKey, Sign (RSA keys: PKCS#1 v1.5 and PSS, RAW or DIGEST),
/// DisableKey, EnableKey and ScheduleKeyDeletion. Faults are the STS emulator's kinds: Throttle, InternalFailure,
/// ServiceUnavailable, AccessDenied, Hang; <see cref="Down"/> drops every connection, and <see cref="Garble"/> garbles a
/// successful answer (<see cref="KmsGarbleKind"/>). Never a deployment part.
/// </summary>
public sealed class KmsEmulator : IAsyncDisposable
{
    private const string TargetPrefix = "TrentService.";
    private readonly KmsEmulatorOptions _options;
    private readonly WebApplication _app;
    private readonly KmsKeys _keys;
    private readonly KmsActions _actions;
    private readonly ConcurrentQueue<KmsCall> _calls = new();

    private KmsEmulator(KmsEmulatorOptions options, WebApplication app)
    {
        _options = options;
        _app = app;
        _keys = new KmsKeys(options);
        _actions = new KmsActions(_keys, TimeProvider.System);
        foreach (var alias in options.SigningKeyAliases)
        {
            CreateSigningKey(alias);
        }
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>: the SDK's <c>ServiceURL</c>, the functions' <c>AWS_ENDPOINT_URL_KMS</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Fault injection, as for the STS emulator: <c>Faults.Set(StsFault.Throttle, calls: 2)</c>.</summary>
    public StsFaults Faults { get; } = new();

    /// <summary>While true, every request's connection is dropped unanswered, as a client sees an unreachable endpoint.</summary>
    public bool Down { get; set; }

    /// <summary>While set, every successful call of its action answers 200 with the garbled body it names; null answers truly.</summary>
    public KmsGarble? Garble { get; set; }

    /// <summary>Every call answered, in order of answer (a thread-safe snapshot).</summary>
    public IReadOnlyList<KmsCall> Calls => [.. _calls];

    public static async Task<KmsEmulator> StartAsync(KmsEmulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (emulator, endpoint) = await LoopbackWebApp.StartPartAsync(options.Port, app => new KmsEmulator(options, app), e => e.HandleAsync, ct).ConfigureAwait(false);
        emulator.Endpoint = endpoint;
        return emulator;
    }

    /// <summary>Makes an RSA_2048 SIGN_VERIFY key, named by <paramref name="alias"/> (<c>alias/...</c>) when given, and answers its ARN.</summary>
    public string CreateSigningKey(string? alias = null)
    {
        var key = _keys.Create("RSA_2048", "SIGN_VERIFY", "credential vending local signing key", TimeProvider.System.GetUtcNow());
        if (alias is not null && _keys.Alias(alias, key) is { } taken)
        {
            throw new ArgumentException(taken.Message, nameof(alias));
        }

        return key.Arn;
    }

    /// <summary>Sets a key's state (<see cref="KmsKeyState"/>), as DisableKey, EnableKey or ScheduleKeyDeletion would.</summary>
    public void SetKeyState(string keyId, string state)
    {
        var (key, missing) = _keys.Find(keyId);
        (key ?? throw new ArgumentException(missing!.Message, nameof(keyId))).State = state;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _keys.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (Down)
        {
            http.Abort();
            return;
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var action = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : string.Empty;
        JsonDocument? request = null;
        try
        {
            (JsonObject? result, KmsError? error) = http.Request.Method != HttpMethods.Post || !KmsActions.Served.Contains(action)
                ? (null, KmsError.UnknownOperation())
                : Authenticate(http.Request, body) ?? Parse(body, out request);
            if (error is null)
            {
                (result, error) = await RunAsync(action, request!.RootElement, http.RequestAborted).ConfigureAwait(false);
            }

            var keyId = request is not null && request.RootElement.TryGetProperty("KeyId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            await WriteAsync(http, action, keyId, result, error).ConfigureAwait(false);
        }
        finally
        {
            request?.Dispose();
        }
    }

    private async Task<(JsonObject? Result, KmsError? Error)> RunAsync(string action, JsonElement request, CancellationToken aborted)
    {
        var fault = Faults.Take();
        switch (fault.Kind)
        {
            case StsFaultKind.Throttle:
                return (null, KmsError.Throttling());
            case StsFaultKind.InternalFailure:
                return (null, KmsError.Internal());
            case StsFaultKind.ServiceUnavailable:
                return (null, KmsError.DependencyTimeout());
            case StsFaultKind.AccessDenied:
                return (null, KmsError.AccessDenied($"User: arn:aws:iam::{_options.AccountId}:user/credential-vending-local is not authorized to perform: kms:{action} because no identity-based policy allows the kms:{action} action"));
            case StsFaultKind.Hang:
                await Task.Delay(fault.Delay, aborted).ConfigureAwait(false);
                break;
        }

        return _actions.Run(action, request);
    }

    private async Task WriteAsync(HttpContext http, string action, string? keyId, JsonObject? result, KmsError? error)
    {
        var status = error?.Status ?? StatusCodes.Status200OK;

        // Recorded before the answer leaves: a client that has its answer finds its call in Calls.
        _calls.Enqueue(new KmsCall(action, keyId, status, error?.Code));
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/x-amz-json-1.1";
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var answer = error is null ? result ?? [] : new JsonObject { ["__type"] = error.Code, ["message"] = error.Message };
        var body = error is null && Garble is { } garble && garble.Action == action ? garble.Apply(answer) : answer.ToJsonString();
        await http.Response.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    private (JsonObject?, KmsError?)? Authenticate(HttpRequest request, byte[] body)
    {
        var (header, malformed) = SigV4.Parse(request);
        if (malformed is not null || header is null)
        {
            return (null, KmsError.FromSignature(malformed ?? StsError.MissingAuthenticationToken()));
        }

        var refused = _options.CallerCredentials.TryGetValue(header.AccessKeyId, out var secret)
            ? SigV4.Verify(request, body, header, secret, _options.Region, DateTimeOffset.UtcNow, service: "kms")
            : StsError.InvalidClientTokenId();
        return refused is null ? null : (null, KmsError.FromSignature(refused));
    }

    private static (JsonObject?, KmsError?) Parse(byte[] body, out JsonDocument? request)
    {
        request = null;
        try
        {
            request = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
            return request.RootElement.ValueKind == JsonValueKind.Object ? (null, null) : (null, KmsError.Serialization("Start of structure or map found where not expected."));
        }
        catch (JsonException)
        {
            return (null, KmsError.Serialization("Malformed JSON request body."));
        }
    }
}
