using System.Text.Json;
using CredentialVending.Scoping;

namespace CredentialVending.Tenants;

/// <summary>
/// IAM's statement grammar, as far as a session policy needs it: what IAM would refuse at issuance time (a 502 for every
/// caller) is refused at PUT instead. Whether actions exist, ARNs are well formed and statements are tied to the tenant is
/// <see cref="Lint.StatementLint"/>'s concern, not this.
/// </summary>
internal static partial class StatementGrammar
{
    // Principal and NotPrincipal are not among them: an identity (and so session) policy has no principal.
    private static readonly string[] StatementFields = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"];

    /// <param name="strict">Holds condition operators to IAM's list and keys to IAM's shape (the lint's grammar); a stored
    /// document is read without it, so a stricter list never makes a live tenant unreadable.</param>
    public static void Check(JsonElement statement, string path, Dictionary<string, string> sids, Findings findings, bool strict)
    {
        if (statement.ValueKind != JsonValueKind.Object)
        {
            findings.Add(path, "must be an object");
            return;
        }

        foreach (var property in statement.EnumerateObject())
        {
            if (Array.IndexOf(StatementFields, property.Name) < 0)
            {
                findings.Add($"{path}.{property.Name}", "unknown field: a statement takes Sid, Effect, Action, NotAction, Resource, NotResource and Condition");
            }
            else if (property.Value.ValueKind == JsonValueKind.Null)
            {
                // Elsewhere null means absent, but statements go to IAM as written, and IAM refuses a null.
                findings.Add($"{path}.{property.Name}", "must not be null");
            }
        }

        CheckSid(statement, path, sids, findings);
        var effect = findings.String(statement, "Effect", path, required: true);
        if (effect is not null and not "Allow" and not "Deny")
        {
            findings.Add($"{path}.Effect", "must be Allow or Deny");
        }

        CheckPair(statement, "Action", path, effect, findings);
        CheckPair(statement, "Resource", path, effect, findings);
        if (Findings.TryGet(statement, "Condition", out var condition))
        {
            CheckCondition(condition, $"{path}.Condition", strict, findings);
        }
    }

    private static void CheckSid(JsonElement statement, string path, Dictionary<string, string> sids, Findings findings)
    {
        var at = $"{path}.Sid";
        if (findings.String(statement, "Sid", path, required: false, maxLength: 128) is not { } sid)
        {
            return;
        }

        if (!TenantPatterns.Sid().IsMatch(sid))
        {
            findings.Add(at, "must be letters and digits only (IAM's rule for identity policies)");
        }
        else if (!sids.TryAdd(sid, path))
        {
            findings.Add(at, $"is also the Sid of {sids[sid]}: Sids must be unique within a policy, and any scopes may be asked for together");
        }
    }

    /// <summary>Action/NotAction (or Resource/NotResource): exactly one, and the Not form only in a Deny.</summary>
    private static void CheckPair(JsonElement statement, string name, string path, string? effect, Findings findings)
    {
        // Present even when null: a null is reported once, by Check, not again as missing.
        var hasPlain = statement.TryGetProperty(name, out var plain);
        var hasNot = statement.TryGetProperty($"Not{name}", out var not);
        if (!hasPlain && !hasNot)
        {
            findings.Add($"{path}.{name}", "is required");
        }
        else if (hasPlain && hasNot)
        {
            findings.Add($"{path}.Not{name}", $"cannot stand beside {name}");
        }
        else if (hasNot && effect == "Allow")
        {
            findings.Add($"{path}.Not{name}", $"is refused in an Allow: it would allow everything but what it names");
        }

        if (hasPlain && plain.ValueKind != JsonValueKind.Null)
        {
            CheckStrings(plain, $"{path}.{name}", findings);
        }

        if (hasNot && not.ValueKind != JsonValueKind.Null)
        {
            CheckStrings(not, $"{path}.Not{name}", findings);
        }
    }

    /// <summary>A string or a non-empty array of strings, each non-empty with only known template variables.</summary>
    private static void CheckStrings(JsonElement value, string path, Findings findings)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            CheckText(value, path, findings);
            return;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            findings.Add(path, "must be a string or a non-empty array of strings");
            return;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                findings.Add(at, "must be a string");
            }
            else
            {
                CheckText(item, at, findings);
            }
        }
    }

    private static void CheckText(JsonElement value, string path, Findings findings)
    {
        var text = value.GetString()!;
        if (text.Length == 0)
        {
            findings.Add(path, "must not be empty");
        }
        else if (Template.Check(text) is { } problem)
        {
            findings.Add(path, problem);
        }
    }
}
