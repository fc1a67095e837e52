using CredentialVending.Lambda.Client;
using CredentialVending.Lambda.Context;

namespace CredentialVending.Lambda.Bootstrap;

/// <summary>A function: takes the raw event of one invocation and answers the raw response.</summary>
public delegate Task<byte[]> LambdaHandler(byte[] payload, ILambdaContext context, CancellationToken cancellationToken);

/// <summary>
/// The invocation loop: next, handle, respond, forever. It knows only <see cref="IRuntimeApiClient"/>,
/// and one bad invocation never ends it: a handler's exception is reported as that invocation's error.
/// </summary>
public sealed class LambdaBootstrap
{
    private readonly IRuntimeApiClient _client;
    private readonly LambdaHandler _handler;
    private readonly LambdaEnvironment _environment;
    private readonly JsonLineLogger _logger;
    private readonly TimeProvider _time;

    public LambdaBootstrap(IRuntimeApiClient client, LambdaHandler handler, LambdaEnvironment environment, JsonLineLogger logger, TimeProvider time)
    {
        _client = client;
        _handler = handler;
        _environment = environment;
        _logger = logger;
        _time = time;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await InvokeOnceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Serves one invocation; returns false when the Runtime API could not be reached.</summary>
    public async Task<bool> InvokeOnceAsync(CancellationToken cancellationToken)
    {
        InvocationRequest invocation;
        try
        {
            invocation = await _client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
        {
            _logger.Log(LogLevel.Error, "The Runtime API could not be reached for the next invocation.", exception: e);
            // Without the Runtime API there is nothing to serve; waiting a moment keeps a broken endpoint from a hot loop.
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
            return false;
        }

        // As Lambda's own runtimes do: the X-Ray trace id of the invocation being served, for the AWS SDK to pass on.
        Environment.SetEnvironmentVariable(LambdaEnvironment.TraceIdVariable, invocation.TraceId);
        _logger.RequestId = invocation.RequestId;
        try
        {
            var context = new LambdaContext(invocation, _environment, _logger, _time);
            byte[] response;
            try
            {
                response = await _handler(invocation.Payload, context, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One bad invocation must never end the loop: every failure is reported as that invocation's error.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.Log(LogLevel.Error, "The function failed.", exception: e);
                await TryAsync(() => _client.ReportInvocationErrorAsync(invocation.RequestId, LambdaError.From(e), cancellationToken)).ConfigureAwait(false);
                return true;
            }

            await TryAsync(() => _client.SendResponseAsync(invocation.RequestId, response, cancellationToken)).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _logger.RequestId = null;
        }
    }

    private async Task TryAsync(Func<Task> send)
    {
        try
        {
            await send().ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            _logger.Log(LogLevel.Error, "The Runtime API refused the invocation's answer.", exception: e);
        }
    }
}
