using System.Text.Json;

namespace CredentialVending.Decoding;

/// <summary>
/// What a decoded authorization message says, read from STS's JSON (<c>allowed</c>, <c>explicitDeny</c>,
/// <c>matchedStatements.items[]</c>, <c>failures.items[]</c>, <c>context.principal.arn</c>, <c>context.action</c>,
/// <c>context.resource</c>), and a plain-language explanation of it.
/// </summary>
public sealed record DecodedMessage(
    bool Allowed,
    bool ExplicitDeny,
    string? Action,
    string? Resource,
    string? PrincipalArn,
    IReadOnlyList<string> DenyStatementIds,
    IReadOnlyList<string> PolicyTypes)
{
    public const string AllowedText = "allowed";
    public const string ExplicitDenyText = "denied by an explicit Deny statement";
    public const string ImplicitDenyText = "denied because no policy allowed it (an implicit deny)";

    // The names a message may give a policy's type, squeezed (lower case, no spaces, dashes or underscores), in plain words.
    private static readonly (string Key, string Words)[] PolicyTypeWords =
    [
        ("session", "session policy"),
        ("boundary", "permissions boundary"),
        ("servicecontrol", "service control policy (SCP)"),
        ("scp", "service control policy (SCP)"),
        ("resourcecontrol", "resource control policy (RCP)"),
        ("rcp", "resource control policy (RCP)"),
        ("vpcendpoint", "VPC endpoint policy"),
        ("resource", "resource-based policy"),
        ("identity", "identity-based policy"),
        ("iam", "identity-based policy"),
    ];

    /// <summary>Reads the decoded JSON; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static DecodedMessage Read(string decodedJson)
    {
        using var document = JsonDocument.Parse(decodedJson);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The decoded message is not a JSON object.");
        }

        var context = Member(root, "context");
        var matched = Items(Member(root, "matchedStatements"));
        var failures = Items(Member(root, "failures"));
        var denyIds = matched
            .Where(s => string.Equals(Text(s, "effect"), "DENY", StringComparison.OrdinalIgnoreCase))
            .Select(s => Text(s, "statementId"))
            .OfType<string>()
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var types = matched.Concat(failures).SelectMany(TypeNames).Select(Describe).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        return new DecodedMessage(
            Member(root, "allowed")?.ValueKind == JsonValueKind.True,
            Member(root, "explicitDeny")?.ValueKind == JsonValueKind.True,
            context is { } c ? Text(c, "action") : null,
            context is { } r ? Text(r, "resource") : null,
            context is { } p && Member(p, "principal") is { } principal ? Text(principal, "arn") : null,
            denyIds,
            types);
    }

    /// <summary>
    /// "allowed"; "denied by an explicit Deny statement" (with its statement ids and policy type when the message names
    /// them); or "denied because no policy allowed it (an implicit deny)" (with the policy types that did not allow it).
    /// </summary>
    public string Explanation
    {
        get
        {
            if (Allowed)
            {
                return AllowedText;
            }

            var types = PolicyTypes.Count == 0 ? null : string.Join(" or ", PolicyTypes);
            if (ExplicitDeny)
            {
                var ids = DenyStatementIds.Count == 0 ? string.Empty : $" ({string.Join(", ", DenyStatementIds.Select(id => $"\"{id}\""))})";
                return ExplicitDenyText + ids + (types is null ? string.Empty : $" in the {types}");
            }

            return ImplicitDenyText + (types is null ? string.Empty : $": the {types} did not allow it");
        }
    }

    private static JsonElement? Member(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement obj, string name) =>
        Member(obj, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    // STS wraps every list as { "items": [...] }.
    private static JsonElement[] Items(JsonElement? wrapper) =>
        wrapper is { } w && Member(w, "items") is { ValueKind: JsonValueKind.Array } items
            ? [.. items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)]
            : [];

    // Whatever a statement or failure says of its policy: a type, or the ARN of a policy an SCP or RCP lives in.
    private static IEnumerable<string> TypeNames(JsonElement item)
    {
        foreach (var name in new[] { "policyType", "sourcePolicyType", "type" })
        {
            if (Text(item, name) is { Length: > 0 } type)
            {
                yield return type;
            }
        }

        if ((Text(item, "sourcePolicyArn") ?? Text(item, "policyArn")) is { } arn && arn.Contains(":organizations::", StringComparison.Ordinal))
        {
            yield return arn.Contains("/resource_control_policy/", StringComparison.Ordinal) ? "rcp" : "scp";
        }
    }

    private static string? Describe(string type)
    {
        var squeezed = new string([.. type.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
        return PolicyTypeWords.FirstOrDefault(w => squeezed.Contains(w.Key, StringComparison.Ordinal)).Words;
    }
}
