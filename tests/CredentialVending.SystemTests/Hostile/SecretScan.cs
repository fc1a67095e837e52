using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// Looks for secrets where docs/api.md says none may ever be: every line any function logged, every item of both tables,
/// every error answer a hostile test received. The secrets are those <see cref="Witness"/> kept plus, for every lease
/// in the ledger, the credentials STS issued for it (so leases of tests outside this folder are covered too), and every
/// SAML response the development provider signed (its signature values, and a slice of each encoded response).
/// </summary>
public static class SecretScan
{
    /// <summary>Where each leak was found, described without the secret itself; empty when nothing leaked.</summary>
    public static async Task<IReadOnlyList<string>> FindLeaksAsync(LocalCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var leases = await cloud.ScanAsync(cloud.LeasesTable);
        var tenants = await cloud.ScanAsync(cloud.TenantsTable);
        var secrets = new Dictionary<string, string>(Witness.Secrets, StringComparer.Ordinal);
        foreach (var key in leases.Select(i => i.GetValueOrDefault("accessKeyId")?.S).OfType<string>())
        {
            if (cloud.Sts.TryFindSession(key, out var session) || cloud.StsWest.TryFindSession(key, out session))
            {
                secrets.TryAdd(session.SecretAccessKey, "a secret access key");
                secrets.TryAdd(session.SessionToken, "a session token");
            }
        }

        foreach (var part in cloud.Saml.Made)
        {
            secrets.TryAdd(part, "a SAML response");
        }

        var finder = new Finder(secrets);
        var leaks = new List<string>();
        leaks.AddRange(cloud.Logs.ToArray().SelectMany(line => finder.Find(Texts(line)).Select(what => $"a log line holds {what}")));
        leaks.AddRange(leases.Concat(tenants).SelectMany(item => finder.Find(item.Values.SelectMany(Texts)).Select(what => $"a ledger item holds {what}")));
        leaks.AddRange(Witness.ErrorAnswers.SelectMany(answer => finder.Find(Texts(answer)).Select(what => $"an error answer holds {what}")));
        return leaks.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>What of <paramref name="secrets"/> one line holds (the scan's own test).</summary>
    public static IReadOnlyCollection<string> FindIn(Dictionary<string, string> secrets, string line) =>
        new Finder(secrets).Find(Texts(line)).ToArray();

    /// <summary>The text of a line as written, and the strings of it read as JSON (where "+" may be escaped as \u002B).</summary>
    private static IEnumerable<string> Texts(string line)
    {
        yield return line;
        var at = line.IndexOf('{', StringComparison.Ordinal);
        if (at < 0)
        {
            yield break;
        }

        var strings = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(line.AsMemory(at));
            Collect(document.RootElement, strings);
        }
        catch (JsonException)
        {
        }

        foreach (var text in strings)
        {
            yield return text;
        }
    }

    private static IEnumerable<string> Texts(AttributeValue value) =>
        new[] { value.S, value.N }.OfType<string>()
            .Concat((value.L ?? []).SelectMany(Texts))
            .Concat((value.M ?? []).SelectMany(p => Texts(p.Value).Prepend(p.Key)))
            .Concat(value.SS ?? []);

    private static void Collect(JsonElement element, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    strings.Add(property.Name);
                    Collect(property.Value, strings);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, strings);
                }

                break;
            case JsonValueKind.String:
                strings.Add(element.GetString() ?? string.Empty);
                break;
        }
    }

    /// <summary>
    /// Finds secrets in text without comparing each against each: a secret is made only of base64, base64url and JWT
    /// characters, so it lies inside one run of them, and each run is looked up window by window.
    /// </summary>
    private sealed class Finder(Dictionary<string, string> secrets)
    {
        private readonly int[] _lengths = [.. secrets.Keys.Select(s => s.Length).Distinct().Order()];

        public IEnumerable<string> Find(IEnumerable<string> texts)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var text in texts)
            {
                var start = 0;
                for (var i = 0; i <= text.Length; i++)
                {
                    if (i < text.Length && IsSecretCharacter(text[i]))
                    {
                        continue;
                    }

                    Look(text.AsSpan(start, i - start), found);
                    start = i + 1;
                }
            }

            return found;
        }

        private static bool IsSecretCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_' or '.';

        private void Look(ReadOnlySpan<char> run, HashSet<string> found)
        {
            var lookup = secrets.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var length in _lengths)
            {
                if (length > run.Length)
                {
                    return;
                }

                for (var at = 0; at + length <= run.Length; at++)
                {
                    if (lookup.TryGetValue(run.Slice(at, length), out _, out var what))
                    {
                        found.Add(what);
                    }
                }
            }
        }
    }
}
