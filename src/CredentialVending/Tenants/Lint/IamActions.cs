using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace CredentialVending.Tenants.Lint;

/// <summary>
/// IAM's actions by service prefix, from the data file tools/iam-actions/refresh.mjs generates (gzip of
/// "service Action Action ..." lines). Loaded on first use and kept: only PUT and preview lint, so the vend path never pays for it.
/// </summary>
internal sealed class IamActions
{
    public const string ResourceName = "CredentialVending.Tenants.Lint.iam-actions.txt.gz";

    /// <summary>The actions AWS's managed policies name beyond the reference (iam-actions-aws.txt), accepted as well.</summary>
    public const string AwsUsedResourceName = "CredentialVending.Tenants.Lint.iam-actions-aws.txt";

    private static readonly Lazy<IamActions> Loaded = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    // Sorted with OrdinalIgnoreCase: IAM compares action names without case.
    private readonly Dictionary<string, string[]> _byService;

    private IamActions(Dictionary<string, string[]> byService, string source)
    {
        _byService = byService;
        Source = source;
    }

    public static IamActions Default => Loaded.Value;

    /// <summary>How long the first use took to decompress and index the file (for the record; see the lint's README).</summary>
    public static TimeSpan LoadTime { get; private set; }

    /// <summary>The header line naming the package version and data date the file was generated from.</summary>
    public string Source { get; }

    /// <summary>Every service prefix, including those that have ARNs or condition keys but no actions of their own.</summary>
    public IEnumerable<string> Services => _byService.Keys;

    public int ActionCount => _byService.Values.Sum(a => a.Length);

    /// <summary>The actions of <paramref name="service"/>, or null when no service has that prefix.</summary>
    public IReadOnlyList<string>? ActionsOf(string service) => _byService.TryGetValue(service, out var actions) ? actions : null;

    public bool HasService(string service) => _byService.ContainsKey(service);

    /// <summary>The action's name as IAM spells it, or null when <paramref name="service"/> has no such action.</summary>
    public string? Find(string service, string action) =>
        _byService.TryGetValue(service, out var actions) && Array.BinarySearch(actions, action, StringComparer.OrdinalIgnoreCase) is var i and >= 0
            ? actions[i]
            : null;

    /// <summary>Reads the generated text: '#' lines are comments, every other line a service prefix then its actions.</summary>
    public static IamActions Parse(TextReader text, TextReader? more = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var byService = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        var source = Read(text, byService);
        if (more is not null)
        {
            Read(more, byService);
        }

        return new IamActions(byService, source);
    }

    /// <summary>Adds the text's lines to <paramref name="byService"/> (a service on two lines gets both's actions); answers its source line.</summary>
    private static string Read(TextReader text, Dictionary<string, string[]> byService)
    {
        var source = string.Empty;
        while (text.ReadLine() is { } line)
        {
            if (line.StartsWith("# Source:", StringComparison.Ordinal))
            {
                source = line[2..];
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var actions = byService.TryGetValue(words[0], out var known)
                ? [.. known.Union(words[1..], StringComparer.OrdinalIgnoreCase)]
                : words[1..];
            Array.Sort(actions, StringComparer.OrdinalIgnoreCase);
            byService[words[0]] = actions;
        }

        return source;
    }

    private static IamActions LoadEmbedded()
    {
        var clock = Stopwatch.StartNew();
        using var stream = typeof(IamActions).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing: the build must embed the IAM action list.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        using var awsUsed = new StreamReader(
            typeof(IamActions).Assembly.GetManifestResourceStream(AwsUsedResourceName)
                ?? throw new InvalidOperationException($"The embedded resource {AwsUsedResourceName} is missing."),
            Encoding.UTF8);
        var actions = Parse(reader, awsUsed);
        LoadTime = clock.Elapsed;
        return actions;
    }
}
