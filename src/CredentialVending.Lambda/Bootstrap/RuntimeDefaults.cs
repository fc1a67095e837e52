namespace CredentialVending.Lambda.Bootstrap;

/// <summary>
/// Runtime settings that are environment variables only, given the value a Lambda process wants before anything reads
/// them; one the deployment sets itself (the template's Environment) is left as it is, so each can be turned back.
/// </summary>
public static class RuntimeDefaults
{
    /// <summary>
    /// Socket completions run on the socket engine's own thread instead of being queued to a pool thread: one invocation
    /// at a time has nothing to run beside them, and each of a vend's five HTTP exchanges no longer wakes a pool thread
    /// to continue (bench/results/2026-12-02-changes-tried.md). Nothing here blocks on a task, which inline completions
    /// would turn into a stalled socket engine.
    /// </summary>
    public const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The variables and their values, as <see cref="Apply"/> sets them.</summary>
    public static IReadOnlyDictionary<string, string> Values { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [InlineSocketCompletions] = "1",
    };

    /// <summary>Sets each variable the process does not have yet. Call it first in Main: the socket engine reads its
    /// variable once, at the first socket.</summary>
    public static void Apply(Func<string, string?> read, Action<string, string> write)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(write);
        foreach (var (name, value) in Values)
        {
            if (read(name) is null)
            {
                write(name, value);
            }
        }
    }
}
