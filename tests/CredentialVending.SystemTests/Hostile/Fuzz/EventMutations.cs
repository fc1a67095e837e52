using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace CredentialVending.SystemTests.Hostile.Fuzz;

/// <summary>One change to an event: what to do (<see cref="Op"/>), where (<see cref="Where"/>, taken modulo what there is), with what.</summary>
public sealed record Mutation(int Op, int Where, string Text, long Number)
{
    public override string ToString() => $"op {Op} at {Where} with {Number} and \"{Escape(Text)}\"";

    private static string Escape(string text) =>
        string.Concat(text.Take(80).Select(c => c is >= ' ' and <= '~' ? c.ToString() : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}")));
}

/// <summary>FsCheck generators for the event reader's fuzzing: arbitrary bytes, and valid events with a few things changed.</summary>
public static class EventMutations
{
    /// <summary>What the fuzzing should get count of: CREDVEND_FUZZ_RUNS, or the short run's count.</summary>
    public static int Runs(int shortRun) =>
        int.TryParse(Environment.GetEnvironmentVariable("CREDVEND_FUZZ_RUNS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : shortRun;

    /// <summary>Strings an attacker would try, and any string at all.</summary>
    public static Gen<string> HostileText { get; } = Gen.Frequency(
        (3, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)),
        (2, Gen.Elements(
            "", " ", "..", "../../admin/tenants", "%2e%2e%2f", "%00", "\u0000", "\ud800", "\udfff", "{{tenant}}", "${aws:username}", "*",
            "2.0", "1.0", "POST", "GET", "PUT", "DELETE", "OPTIONS", "post", "/", "//", "/v1/tenants/acme/credentials", "/admin/tenants/acme",
            "null", "true", "\"", "\\", "\u2028", "\ufeff", "e30=", "=", "Bearer", "Bearer ", "Bearer e30.e30.", "bearer x.y.z", "Basic YTpi",
            "application/json", "text/plain", "format=container&durationSeconds=900", "scopes=files:read,files:write",
            "arn:aws:iam::123456789012:role/onboarding", "arn:aws:iam::*:role/*", "a" + new string('.', 20_000),
            new string('x', 70 * 1024), "{\"scopes\":[\"files:read\"]}", "{\"claims\":{\"sub\":\"alice\"}}")),
        (1, Gen.Elements("\u0000\u0001\u001f\u007f\ud800\udc00\u2028{}[]\":,\\/%.*?$ \t\r\naZ9+=".ToCharArray()).ArrayOf().Select(c => new string(c))));

    public static Gen<Mutation> Mutation { get; } =
        from op in Gen.Choose(0, 11)
        from at in Gen.Choose(0, 100_000)
        from text in HostileText
        from number in Gen.Elements(0L, -1L, 1L, 2L, 900L, long.MaxValue, long.MinValue, int.MaxValue + 1L, 1L << 53)
        select new Mutation(op, at, text, number);

    /// <summary>One of the seeds, changed one to four times.</summary>
    public static Gen<(int Seed, Mutation[] Changes)> Changes(int seeds) =>
        from seed in Gen.Choose(0, seeds - 1)
        from count in Gen.Choose(1, 4)
        from changes in Mutation.ArrayOf(count)
        select (seed, changes);

    /// <summary>Arbitrary bytes, half of them starting like JSON.</summary>
    public static Gen<byte[]> Bytes { get; } = Gen.OneOf(
        ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null),
        HostileText.Select(t => Encoding.UTF8.GetBytes("{\"version\":\"2.0\"," + t)));

    public static byte[] Apply(byte[] seed, IEnumerable<Mutation> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var bytes = seed;
        foreach (var change in changes)
        {
            try
            {
                bytes = change.Op >= 9 ? ApplyToBytes(bytes, change) : ApplyToTree(bytes, change);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
            {
                // Not a tree any more (cut short, a byte changed, a member repeated): keep changing the bytes.
                bytes = ApplyToBytes(bytes, change with { Op = 9 + (change.Op % 3) });
            }
        }

        return bytes;
    }

    private static byte[] ApplyToTree(byte[] bytes, Mutation change)
    {
        var root = JsonNode.Parse(bytes);
        var places = new List<(JsonNode Parent, string? Name, int Index)>();
        Walk(root, places);
        if (places.Count == 0)
        {
            return bytes;
        }

        var (parent, name, index) = places[change.Where % places.Count];
        JsonNode? value = change.Op switch
        {
            1 => JsonValue.Create(change.Text),
            2 => JsonValue.Create(change.Number),
            3 => null,
            4 => JsonValue.Create(change.Number % 2 == 0),
            5 => change.Number % 2 == 0 ? new JsonObject() : new JsonArray(),
            6 => JsonNode.Parse(new string('[', 40) + new string(']', 40)),
            7 => new JsonObject { [change.Text] = change.Text },
            _ => JsonValue.Create(change.Text.Length),
        };
        if (change.Op == 0)
        {
            Remove(parent, name, index);
        }
        else if (change.Op == 8 && parent is JsonObject siblings && !siblings.ContainsKey(change.Text))
        {
            siblings[change.Text] = JsonValue.Create(change.Text);
        }
        else if (parent is JsonObject obj)
        {
            obj[name!] = value;
        }
        else
        {
            ((JsonArray)parent)[index] = value;
        }

        return Encoding.UTF8.GetBytes(root!.ToJsonString());
    }

    private static byte[] ApplyToBytes(byte[] bytes, Mutation change)
    {
        if (bytes.Length == 0)
        {
            return Encoding.UTF8.GetBytes(change.Text);
        }

        var at = change.Where % bytes.Length;
        return change.Op switch
        {
            9 => bytes[..at],
            10 => [.. bytes[..at], (byte)change.Number, .. bytes[(at + 1)..]],
            // A member repeated: the first one of the object, written again right after its opening brace.
            _ => [.. bytes[..1], .. Encoding.UTF8.GetBytes("\"version\":\"2.0\",\"rawPath\":\"" + change.Text.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("\\", string.Empty, StringComparison.Ordinal) + "\","), .. bytes[1..]],
        };
    }

    private static void Walk(JsonNode? node, List<(JsonNode, string?, int)> places)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj.ToArray())
            {
                places.Add((obj, key, -1));
                Walk(value, places);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                places.Add((array, null, i));
                Walk(array[i], places);
            }
        }
    }

    private static void Remove(JsonNode parent, string? name, int index)
    {
        if (parent is JsonObject obj)
        {
            obj.Remove(name!);
        }
        else
        {
            ((JsonArray)parent).RemoveAt(index);
        }
    }
}
