using CredentialVending.Lambda.Client;

namespace CredentialVending.Lambda.Tests.Bootstrap;

/// <summary>
/// The Runtime API as the loop sees it: hands out the invocations (or failures) a test queued, records every answer,
/// and once the queue is empty calls <see cref="Drained"/> and long-polls until cancelled, as /next does.
/// </summary>
internal sealed class FakeRuntimeApiClient : IRuntimeApiClient
{
    private readonly Queue<Func<InvocationRequest>> _next = new();

    public List<(string RequestId, byte[] Response)> Responses { get; } = [];
    public List<(string RequestId, LambdaError Error)> Errors { get; } = [];
    public List<LambdaError> InitializationErrors { get; } = [];

    /// <summary>Thrown by the next answer the loop sends, once.</summary>
    public Exception? FailNextAnswer { get; set; }

    public Action? Drained { get; set; }

    public FakeRuntimeApiClient Enqueue(InvocationRequest invocation)
    {
        _next.Enqueue(() => invocation);
        return this;
    }

    public FakeRuntimeApiClient EnqueueFailure(Exception failure)
    {
        _next.Enqueue(() => throw failure);
        return this;
    }

    public async Task<InvocationRequest> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        if (_next.TryDequeue(out var next))
        {
            return next();
        }

        Drained?.Invoke();
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("Unreachable: the delay above only ends by cancellation.");
    }

    public Task SendResponseAsync(string requestId, byte[] response, CancellationToken cancellationToken)
    {
        ThrowIfAsked();
        Responses.Add((requestId, response));
        return Task.CompletedTask;
    }

    public Task ReportInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken)
    {
        ThrowIfAsked();
        Errors.Add((requestId, error));
        return Task.CompletedTask;
    }

    public Task ReportInitializationErrorAsync(LambdaError error, CancellationToken cancellationToken)
    {
        InitializationErrors.Add(error);
        return Task.CompletedTask;
    }

    private void ThrowIfAsked()
    {
        if (FailNextAnswer is { } failure)
        {
            FailNextAnswer = null;
            throw failure;
        }
    }
}
