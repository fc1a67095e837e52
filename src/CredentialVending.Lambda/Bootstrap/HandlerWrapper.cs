using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CredentialVending.Lambda.Context;

namespace CredentialVending.Lambda.Bootstrap;

/// <summary>
/// A typed handler as the loop's <see cref="LambdaHandler"/>, as RuntimeSupport's <c>HandlerWrapper</c> is: it reads the
/// event (source-generated JSON, no reflection), stops the handler a margin before Lambda's deadline, and turns what the
/// handler could not answer into an answer through the function's <see cref="IInvocationAnswers{TInput, TOutput}"/>, so
/// a caller always gets one and the loop reports an invocation error only when the process is being stopped.
/// </summary>
public sealed class HandlerWrapper<TInput, TOutput>
    where TInput : class
{
    private readonly Func<TInput, ILambdaContext, CancellationToken, Task<TOutput>> _handler;
    private readonly JsonTypeInfo<TInput> _input;
    private readonly JsonTypeInfo<TOutput> _output;
    private readonly IInvocationAnswers<TInput, TOutput> _answers;
    private readonly TimeSpan _deadlineMargin;

    public HandlerWrapper(
        Func<TInput, ILambdaContext, CancellationToken, Task<TOutput>> handler,
        JsonTypeInfo<TInput> input,
        JsonTypeInfo<TOutput> output,
        IInvocationAnswers<TInput, TOutput> answers,
        TimeSpan deadlineMargin)
    {
        _handler = handler;
        _input = input;
        _output = output;
        _answers = answers;
        _deadlineMargin = deadlineMargin;
    }

    /// <summary>The wrapped handler, for the loop.</summary>
    public LambdaHandler Handler => HandleAsync;

    /// <summary>Reads the event, runs the handler and answers; the typed answer, for a host run in a test's process.</summary>
    public async Task<TOutput> InvokeAsync(byte[] payload, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        TInput? input;
        try
        {
            input = JsonSerializer.Deserialize(payload, _input);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string escaping a lone surrogate ("\ud800") is valid JSON but no .NET string.
            input = null;
        }

        if (input is null || !_answers.Accepts(input))
        {
            return _answers.Unreadable(context);
        }

        // Lambda stops a function at its deadline without a word to the caller; stopping a margin before it leaves time
        // to answer (and, for a vend, a lease not written is credentials not returned).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var budget = context.RemainingTime - _deadlineMargin;
        if (budget > TimeSpan.Zero && budget < TimeSpan.FromHours(1))
        {
            deadline.CancelAfter(budget);
        }

        try
        {
            return await _handler(input, context, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return _answers.DeadlineReached(input, context);
        }
#pragma warning disable CA1031 // Every failure of the handler is answered; only the process being stopped is not.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return _answers.Failed(input, e, context);
        }
    }

    private async Task<byte[]> HandleAsync(byte[] payload, ILambdaContext context, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeToUtf8Bytes(await InvokeAsync(payload, context, cancellationToken).ConfigureAwait(false), _output);
}
