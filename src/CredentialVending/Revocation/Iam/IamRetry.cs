using CredentialVending.Common;

namespace CredentialVending.Revocation.Iam;

/// <summary>
/// The SDKs' standard retry mode for IAM: up to <see cref="IamClientOptions.MaxAttempts"/> attempts, retrying
/// throttling codes, 5xx, timeouts and failed connections, after a random part of an exponential backoff (full
/// jitter, capped). What is still failing then is IAM being unavailable: 503 <c>unavailable</c> with Retry-After.
/// </summary>
internal sealed class IamRetry(IamClientOptions options, TimeProvider time)
{
    /// <summary>IAM throttles per account, and its throttling outlasts a second or two.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    // The standard mode's throttling codes (IAM itself says Throttling). IAM's own LimitExceeded is not one: it is a
    // quota on the account or the policy's size, which no retry changes.
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "RequestTimeout", "RequestTimeoutException", "ServiceUnavailable",
    };

    public static DependencyUnavailableException Unavailable(string reason, Exception? inner) =>
        new($"IAM is unreachable, failing or throttling ({reason}); try again shortly.", RetryAfter, inner);

    /// <summary>Runs <paramref name="attempt"/> until IAM answers something other than a transient failure.</summary>
    /// <param name="attempt">One HTTP exchange; null when the body was no XML.</param>
    public async Task<IamAnswer> RunAsync(string action, Func<CancellationToken, Task<IamAnswer?>> attempt, CancellationToken cancellationToken)
    {
        string reason;
        Exception? failure = null;
        var tries = 0;
        while (true)
        {
            tries++;
            using (var timeout = new CancellationTokenSource(options.AttemptTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    var answer = await attempt(linked.Token).ConfigureAwait(false);
                    // The three calls are idempotent, so even an answer that may have come after IAM acted is safe to ask again.
                    if (answer is null)
                    {
                        reason = "an answer that is not XML";
                    }
                    else if (answer.Status >= 500 || (answer.ErrorCode is { } code && Throttling.Contains(code)))
                    {
                        reason = $"{answer.Status} {answer.ErrorCode ?? "without an error code"}";
                    }
                    else if (answer.Status is >= 200 and < 300 ? answer.ErrorCode is null : answer.Status >= 400 && answer.ErrorCode is not null)
                    {
                        return answer;
                    }
                    else
                    {
                        throw Unavailable($"{action} answered {answer.Status} without an IAM error", null);
                    }
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    (reason, failure) = ($"no answer within {options.AttemptTimeout.TotalSeconds:0.#} s", e);
                }
                catch (HttpRequestException e)
                {
                    (reason, failure) = ($"cannot connect: {e.HttpRequestError}", e);
                }
            }

            if (tries >= options.MaxAttempts)
            {
                throw Unavailable($"{action}: {reason} after {tries} attempts", failure);
            }

            await Task.Delay(Backoff(tries), time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Retry i (from 1) waits a random part of min(base * 2^(i-1), cap): the standard mode's full jitter, in whole
    // milliseconds of at least one (Task.Delay truncates to milliseconds, and under one it would not wait on the clock).
    private TimeSpan Backoff(int retry)
    {
        var ceiling = Math.Min(options.BackoffBase.TotalMilliseconds * Math.Pow(2, retry - 1), options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Floor(Random.Shared.NextDouble() * ceiling)));
    }
}
