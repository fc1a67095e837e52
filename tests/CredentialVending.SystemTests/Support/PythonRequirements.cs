using System.Text.RegularExpressions;

namespace CredentialVending.SystemTests.Support;

/// <summary>One line of tests/requirements.txt: a distribution pinned to one version, with the extras the tests use.</summary>
public sealed record PinnedRequirement(string Name, IReadOnlyList<string> Extras, string Version)
{
    public override string ToString() => Extras.Count == 0 ? $"{Name}=={Version}" : $"{Name}[{string.Join(',', Extras)}]=={Version}";
}

/// <summary>A distribution an interpreter has installed, with its <c>Requires-Dist</c> lines as written.</summary>
public sealed record InstalledDistribution(string Name, string Version, IReadOnlyList<string> Requires);

/// <summary>
/// Reads tests/requirements.txt and judges whether an interpreter already has what it pins. A pinned tool must be at
/// its version (another cfn-lint or moto finds or answers differently); what the tools need in turn (their extras'
/// dependencies included) must be present, at whatever version pip left there.
/// </summary>
public static partial class PythonRequirements
{
    public static IReadOnlyList<PinnedRequirement> Load(string path) => Parse(File.ReadAllText(path));

    public static IReadOnlyList<PinnedRequirement> Parse(string text) =>
        [.. text.Split('\n')
            .Select(line => (Line: line, Text: line.Split('#')[0].Trim()))
            .Where(l => l.Text.Length > 0)
            .Select(l => PinLine().Match(l.Text) is { Success: true } m
                ? new PinnedRequirement(m.Groups["name"].Value, Extras(m.Groups["extras"].Value), m.Groups["version"].Value)
                : throw new FormatException($"tests/requirements.txt: \"{l.Line.Trim()}\" is not name[extras]==version, the only form the test helper can judge."))];

    /// <summary>What the interpreter lacks, one sentence each; none means it has every pinned tool.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<PinnedRequirement> pinned, IReadOnlyList<InstalledDistribution> installed)
    {
        var byName = installed.GroupBy(d => Normalize(d.Name)).ToDictionary(g => g.Key, g => g.First());
        var missing = new List<string>();
        foreach (var pin in pinned)
        {
            if (!byName.TryGetValue(Normalize(pin.Name), out var found))
            {
                missing.Add($"{pin}: not installed");
            }
            else if (!SameVersion(found.Version, pin.Version))
            {
                missing.Add($"{pin}: {found.Version} installed");
            }
            else
            {
                missing.AddRange(MissingDependencies(found, pin.Extras, byName).Select(d => $"{pin}: needs {d}, not installed"));
            }
        }

        return missing;
    }

    /// <summary>PEP 503's normal form: case and runs of <c>-_.</c> do not matter (PyYAML is pyyaml, aws_sam_translator is aws-sam-translator).</summary>
    public static string Normalize(string name) => Separators().Replace(name, "-").ToLowerInvariant();

    private static IEnumerable<string> MissingDependencies(InstalledDistribution root, IReadOnlyList<string> extras, Dictionary<string, InstalledDistribution> byName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(InstalledDistribution Distribution, IReadOnlyList<string> Extras)>([(root, extras)]);
        while (queue.TryDequeue(out var next))
        {
            foreach (var requirement in next.Distribution.Requires)
            {
                if (DependencyLine().Match(requirement) is not { Success: true } m || !Applies(m.Groups["marker"].Value, next.Extras))
                {
                    continue;
                }

                var name = Normalize(m.Groups["name"].Value);
                var wanted = Extras(m.Groups["extras"].Value);
                if (!seen.Add(name + "[" + string.Join(',', wanted) + "]"))
                {
                    continue;
                }

                if (byName.TryGetValue(name, out var dependency))
                {
                    queue.Enqueue((dependency, wanted));
                }
                else
                {
                    yield return m.Groups["name"].Value;
                }
            }
        }
    }

    // A dependency without a marker is always needed, one marked `extra == "x"` when x is asked for. Other markers
    // (python_version, sys_platform...) are left to pip: skipping them can only make the helper trust a machine that a
    // tool's own import then fails on, never build a venv for nothing.
    private static bool Applies(string marker, IReadOnlyList<string> extras) =>
        marker.Trim().Length == 0
        || (ExtraMarker().Match(marker) is { Success: true } m && extras.Contains(Normalize(m.Groups["extra"].Value), StringComparer.Ordinal));

    private static IReadOnlyList<string> Extras(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Normalize)];

    // 1.51 and 1.51.0 are one version (PEP 440 pads the release with zeros).
    private static bool SameVersion(string installed, string pinned) =>
        string.Equals(TrimRelease(installed), TrimRelease(pinned), StringComparison.OrdinalIgnoreCase);

    private static string TrimRelease(string version)
    {
        var release = ReleasePart().Match(version.Trim()).Value;
        var rest = version.Trim()[release.Length..];
        while (release.EndsWith(".0", StringComparison.Ordinal))
        {
            release = release[..^2];
        }

        return release + rest;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[(?<extras>[A-Za-z0-9._,\s-]*)\])?\s*==\s*(?<version>[A-Za-z0-9.+!-]+)\z")]
    private static partial Regex PinLine();

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[(?<extras>[^\]]*)\])?[^;]*(?:;(?<marker>.*))?\z")]
    private static partial Regex DependencyLine();

    [GeneratedRegex(@"^\s*extra\s*==\s*[""'](?<extra>[^""']+)[""']\s*\z")]
    private static partial Regex ExtraMarker();

    [GeneratedRegex("[-_.]+")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^[0-9]+(?:\.[0-9]+)*")]
    private static partial Regex ReleasePart();
}
