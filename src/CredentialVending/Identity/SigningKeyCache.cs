using System.Collections.Concurrent;
using CredentialVending.Common;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Identity;

/// <summary>
/// Each issuer's signing keys, kept across invocations (a warm Lambda serves many callers with one fetch).
/// Fetches are single-flight per issuer and rate limited, so a flood of tokens with made-up <c>kid</c>s
/// costs the issuer one request a minute; a failed refetch keeps the keys already held.
/// </summary>
internal sealed class SigningKeyCache
{
    /// <summary>docs/api.md: on an unknown kid, refetch at most once a minute.</summary>
    public static readonly TimeSpan RefetchInterval = TimeSpan.FromMinutes(1);

    /// <summary>Held keys are refreshed after this long, so a key the issuer withdrew stops being trusted.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    /// <summary>With no keys at all every caller fails, so try again sooner than for an unknown kid, but not on every call.</summary>
    public static readonly TimeSpan EmptyRetryInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The one cache of the process: its lifetime is the Lambda execution environment's.</summary>
    public static SigningKeyCache Shared { get; } = new();

    /// <summary>
    /// The issuer's keys, fetched first when none are held, when <paramref name="kid"/> is not among them, or when
    /// they are older than <see cref="MaxAge"/>, each subject to the rate limits above. Throws
    /// <see cref="DependencyUnavailableException"/> only when no key of the issuer has ever been fetched.
    /// </summary>
    public async Task<KeyLookup> GetAsync(string issuer, string kid, JwksFetcher fetcher, TimeProvider time, CancellationToken ct)
    {
        var entry = _entries.GetOrAdd(issuer, _ => new Entry());
        var state = entry.State;
        if (NeedsFetch(state, kid, time.GetUtcNow()))
        {
            await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                // Another caller may have fetched while this one waited at the gate.
                state = entry.State;
                var now = time.GetUtcNow();
                if (NeedsFetch(state, kid, now))
                {
                    state = await FetchAsync(state, issuer, fetcher, now, ct).ConfigureAwait(false);
                    entry.State = state;
                }
            }
            finally
            {
                entry.Gate.Release();
            }
        }

        if (state.Keys is null)
        {
            var retryAfter = state.LastAttempt + EmptyRetryInterval - time.GetUtcNow();
            throw new DependencyUnavailableException(
                $"The signing keys of issuer {issuer} could not be fetched: {state.LastError}.",
                retryAfter > TimeSpan.FromSeconds(1) ? retryAfter : TimeSpan.FromSeconds(1));
        }

        return new KeyLookup(state.Keys, Contains(state.Keys, kid), state.LastAttemptFailed);
    }

    /// <summary>Forgets every issuer (tests only).</summary>
    internal void Clear() => _entries.Clear();

    private static bool NeedsFetch(State state, string kid, DateTimeOffset now)
    {
        var sinceAttempt = now - state.LastAttempt;
        if (state.Keys is null)
        {
            return sinceAttempt >= EmptyRetryInterval;
        }

        var wanted = !Contains(state.Keys, kid) || now - state.FetchedAt >= MaxAge;
        return wanted && sinceAttempt >= RefetchInterval;
    }

    private static async Task<State> FetchAsync(State state, string issuer, JwksFetcher fetcher, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var keys = await fetcher.FetchAsync(issuer, ct).ConfigureAwait(false);
            return new State(keys, now, now, false, null);
        }
        catch (KeySourceException e)
        {
            return state with { LastAttempt = now, LastAttemptFailed = true, LastError = e.Message };
        }
    }

    private static bool Contains(IReadOnlyList<SecurityKey> keys, string kid) =>
        keys.Any(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));

    private sealed class Entry
    {
        private volatile State _state = new(null, DateTimeOffset.MinValue, DateTimeOffset.MinValue, false, null);

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public State State
        {
            get => _state;
            set => _state = value;
        }
    }

    /// <summary>Immutable, swapped whole, so readers outside the gate never see half an update.</summary>
    private sealed record State(
        IReadOnlyList<SecurityKey>? Keys,
        DateTimeOffset FetchedAt,
        DateTimeOffset LastAttempt,
        bool LastAttemptFailed,
        string? LastError);
}

/// <summary>The keys held for an issuer; whether the token's kid is among them; whether the last fetch failed.</summary>
internal readonly record struct KeyLookup(IReadOnlyList<SecurityKey> Keys, bool KidKnown, bool LastFetchFailed);
