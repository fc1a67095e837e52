namespace CredentialVending.Local.Sts;

/// <summary>The request pipeline: read, authenticate, inject the fault in force, run the action, answer and record.</summary>
public sealed partial class StsEmulator
{
    private const string ApiVersion = "2011-06-15";
    private const int ClientClosedRequest = 499;

    private async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString();
        var sequence = Interlocked.Increment(ref _sequence);
        var receivedAt = DateTimeOffset.UtcNow;
        var parameters = StsParameters.Empty;
        var recorded = false;
        int status;
        StsError? error = null;
        try
        {
            var body = await ReadBodyAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
            parameters = StsParameters.Read(http.Request, body);
            StsReply reply;
            try
            {
                reply = await DispatchAsync(http.Request, parameters, body, http.RequestAborted).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An emulator bug must still reach the client as STS's own 500, in XML the SDK can parse.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                reply = StsReply.Fail(StsError.InternalFailure());
            }

            error = reply.Error;
            status = error?.Status ?? StatusCodes.Status200OK;
            var answer = error is null ? StsXml.Success(parameters.Action, reply.Result, requestId) : StsXml.Error(error, requestId);

            // Recorded before the answer leaves: a client that has its answer finds its call in Calls.
            Record(status);
            if (error is null && reply.Garble != StsFaultKind.None)
            {
                await StsGarbling.WriteAsync(http.Response, reply.Garble, answer, requestId).ConfigureAwait(false);
            }
            else
            {
                await StsXml.WriteAsync(http.Response, status, answer, requestId).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
        {
            if (!recorded)
            {
                Record(ClientClosedRequest);
            }
        }

        void Record(int answered)
        {
            recorded = true;
            Enqueue(http.Request, parameters, sequence, requestId, receivedAt, answered, error);
        }
    }

    private void Enqueue(HttpRequest request, StsParameters p, long sequence, string requestId, DateTimeOffset receivedAt, int status, StsError? error)
    {
        var (signature, _) = SigV4.Parse(request);
        _calls.Enqueue(new StsCall
        {
            Sequence = sequence,
            RequestId = requestId,
            ReceivedAt = receivedAt,
            Action = p.Action,
            RoleArn = p["RoleArn"],
            RoleSessionName = p["RoleSessionName"],
            Policy = p["Policy"],
            DurationSeconds = p.Int("DurationSeconds"),
            ExternalId = p["ExternalId"],
            SourceIdentity = p["SourceIdentity"],
            Tags = p.Tags(),
            TransitiveTagKeys = p.List("TransitiveTagKeys"),
            Signed = request.Headers.Authorization.Count > 0,
            SigningAccessKeyId = signature?.AccessKeyId,
            HadWebIdentityToken = p.Has("WebIdentityToken"),
            PrincipalArn = p["PrincipalArn"],
            HadSamlAssertion = p.Has("SAMLAssertion"),
            StatusCode = status,
            ErrorCode = error?.Code,
            TraceHeader = request.Headers.TryGetValue("X-Amzn-Trace-Id", out var trace) ? trace.ToString() : null,
        });
    }

    private async Task<StsReply> DispatchAsync(HttpRequest request, StsParameters parameters, byte[] body, CancellationToken aborted)
    {
        var action = parameters.Action;
        if (StsActions.RequiresSignature(action) is not { } signed || parameters.Version != ApiVersion)
        {
            return StsReply.Fail(StsError.InvalidAction(action, parameters.Version));
        }

        var now = DateTimeOffset.UtcNow;
        StsPrincipal? caller = null;
        if (signed)
        {
            (caller, var refused) = _authenticator.Authenticate(request, body, now);
            if (refused is not null)
            {
                return StsReply.Fail(refused);
            }
        }

        var fault = Faults.Take();
        var injected = fault.Kind switch
        {
            StsFaultKind.Throttle => StsError.Throttling(),
            StsFaultKind.InternalFailure => StsError.InternalFailure(),
            StsFaultKind.ServiceUnavailable => StsError.ServiceUnavailable(),
            StsFaultKind.RegionDisabled => StsError.RegionDisabled(_options.AccountId),
            StsFaultKind.AccessDenied => caller is null
                ? StsError.AccessDenied($"Not authorized to perform sts:{action}")
                : StsError.NotAuthorized(caller.Arn, action, parameters["RoleArn"]),
            StsFaultKind.UnmappedError => StsError.Unmapped(),
            _ => null,
        };
        if (injected is not null)
        {
            return StsReply.Fail(injected);
        }

        if (fault.Kind == StsFaultKind.Hang)
        {
            await Task.Delay(fault.Delay, aborted).ConfigureAwait(false);
        }

        var reply = await _actions.RunAsync(action, new StsContext(parameters, caller, DateTimeOffset.UtcNow, aborted)).ConfigureAwait(false);
        return fault.Garbles ? reply with { Garble = fault.Kind } : reply;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
