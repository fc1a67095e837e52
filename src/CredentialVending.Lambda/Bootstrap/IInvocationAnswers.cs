using CredentialVending.Lambda.Context;

namespace CredentialVending.Lambda.Bootstrap;

/// <summary>
/// What a function answers when its handler cannot: an event it cannot read, a deadline that came first, a failure.
/// The <see cref="HandlerWrapper{TInput, TOutput}"/> decides when; the function decides what, in its own protocol
/// (for an HTTP API, a problem+json answer), and logs each as its operator needs.
/// </summary>
public interface IInvocationAnswers<in TInput, out TOutput>
{
    /// <summary>False for an event that reads as <typeparamref name="TInput"/> but that its source would never send.</summary>
    bool Accepts(TInput input);

    /// <summary>The answer to an event that is not a <typeparamref name="TInput"/> at all.</summary>
    TOutput Unreadable(ILambdaContext context);

    /// <summary>The answer when the wrapper's deadline came before the handler's.</summary>
    TOutput DeadlineReached(TInput input, ILambdaContext context);

    /// <summary>The answer to a failure the handler did not answer itself.</summary>
    TOutput Failed(TInput input, Exception failure, ILambdaContext context);
}
