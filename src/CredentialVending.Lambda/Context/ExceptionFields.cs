namespace CredentialVending.Lambda.Context;

/// <summary>
/// What a log line says of a failure: its type, its inner exceptions' types, and where each was thrown; never a
/// message, which can quote the request (a key, a claim, a body) or an AWS answer's text.
/// </summary>
internal static class ExceptionFields
{
    // Deep enough for the SDK's wrappers (AmazonServiceException > HttpRequestException > SocketException) and a few more.
    private const int MaxDepth = 8;

    public static IEnumerable<KeyValuePair<string, string?>> Of(Exception? exception)
    {
        if (exception is null)
        {
            yield break;
        }

        var chain = Chain(exception).ToList();
        yield return new("errorType", chain[0].GetType().FullName);
        if (chain.Count > 1)
        {
            yield return new("innerErrorTypes", string.Join(',', chain.Skip(1).Select(e => e.GetType().FullName)));
        }

        yield return new("stackTrace", string.Join("\n ---> ", chain.Select(e => e.StackTrace is null ? e.GetType().FullName : $"{e.GetType().FullName}\n{e.StackTrace}")));
    }

    /// <summary>The exception, then its inner ones, depth first (every one of an aggregate's).</summary>
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        for (var count = 0; pending.Count > 0 && count < MaxDepth; count++)
        {
            var next = pending.Pop();
            yield return next;
            var inner = next is AggregateException aggregate ? aggregate.InnerExceptions : (IReadOnlyList<Exception>)(next.InnerException is { } one ? [one] : []);
            for (var i = inner.Count - 1; i >= 0; i--)
            {
                pending.Push(inner[i]);
            }
        }
    }
}
