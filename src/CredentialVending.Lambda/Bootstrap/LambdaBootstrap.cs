using CredentialVending.Lambda.Client;
using CredentialVending.Lambda.Context;

namespace CredentialVending.Lambda.Bootstrap;

/// <summary>A function: takes the raw event of one invocation and answers the raw response.</summary>
public delegate Task<byte[]> LambdaHandler(byte[] payload, ILambdaContext context, CancellationToken cancellationToken);

/// <summary>
/// The function's init, run once before the first invocation: it builds the handler. A
/// <see cref="LambdaConfigurationException"/> (or any other) it throws is posted to <c>/runtime/init/error</c>.
/// </summary>
public delegate Task<LambdaHandler> LambdaBootstrapInitializer(CancellationToken cancellationToken);

/// <summary>
/// The invocation loop: init once, then next, handle, respond, forever. It knows only <see cref="IRuntimeApiClient"/>,
/// and one bad invocation never ends it: a handler's exception is reported as that invocation's error.
/// </summary>
public sealed class LambdaBootstrap
{
    private readonly IRuntimeApiClient _client;
    private readonly LambdaBootstrapInitializer _initializer;
    private readonly LambdaEnvironment _environment;
    private readonly JsonLineLogger _logger;
    private readonly TimeProvider _time;
    private LambdaHandler? _handler;

    public LambdaBootstrap(IRuntimeApiClient client, LambdaHandler handler, LambdaEnvironment environment, JsonLineLogger logger, TimeProvider time)
        : this(client, _ => Task.FromResult(handler), environment, logger, time)
    {
        _handler = handler;
    }

    public LambdaBootstrap(IRuntimeApiClient client, LambdaBootstrapInitializer initializer, LambdaEnvironment environment, JsonLineLogger logger, TimeProvider time)
    {
        _client = client;
        _initializer = initializer;
        _environment = environment;
        _logger = logger;
        _time = time;
    }

    /// <summary>Inits, then serves until cancelled; false when the init failed (it was reported, and nothing was served).</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        if (!await InitializeAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            await InvokeOnceAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Runs the initializer; a failure is logged and posted to the Runtime API as the init error.</summary>
    public async Task<bool> InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            _handler = await _initializer(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (LambdaConfigurationException e)
        {
            // The message is the operator's fix, built from the configuration: the one failure whose message is logged.
            _logger.Log(LogLevel.Error, e.Message, [new("errorType", LambdaConfigurationException.ErrorType)]);
            await TryAsync(() => _client.ReportInitializationErrorAsync(LambdaError.From(e), cancellationToken)).ConfigureAwait(false);
            return false;
        }
#pragma warning disable CA1031 // Whatever failed the init is reported as the init error, so Lambda says so rather than timing out.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            _logger.Log(LogLevel.Error, "The function's init failed.", exception: e);
            await TryAsync(() => _client.ReportInitializationErrorAsync(LambdaError.From(e), cancellationToken)).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Serves one invocation; returns false when the Runtime API could not be reached.</summary>
    public async Task<bool> InvokeOnceAsync(CancellationToken cancellationToken)
    {
        var handler = _handler ?? throw new InvalidOperationException("The bootstrap serves only once its init has run.");
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
        using (_logger.BeginInvocation(invocation.RequestId, invocation.TraceId))
        {
            var context = new LambdaContext(invocation, _environment, _logger, _time);
            byte[] response;
            try
            {
                response = await handler(invocation.Payload, context, cancellationToken).ConfigureAwait(false);
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
