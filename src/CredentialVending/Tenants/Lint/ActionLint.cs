using System.Text.RegularExpressions;

namespace CredentialVending.Tenants.Lint;

/// <summary>Whether an Action names an IAM action that exists, or a wildcard that matches at least one.</summary>
internal static partial class ActionLint
{
    /// <summary>Null when <paramref name="action"/> is real; else what is wrong, naming the nearest real action.</summary>
    public static string? Problem(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action == "*")
        {
            return null;
        }

        if (action.Contains("{{", StringComparison.Ordinal) || action.Contains("${", StringComparison.Ordinal))
        {
            return $"{action}: variables cannot stand in an action, or a caller's claims would choose what the policy allows: name the action";
        }

        var match = Shape().Match(action);
        if (!match.Success)
        {
            return $"{action}: not an action: write service:Action, as in s3:GetObject or s3:Get*";
        }

        var (service, name) = (match.Groups["service"].Value, match.Groups["name"].Value);
        if (service.Contains('*', StringComparison.Ordinal) || service.Contains('?', StringComparison.Ordinal))
        {
            return $"{action}: a wildcard cannot stand in the service prefix: name the service, as in s3:Get*";
        }

        var data = IamActions.Default;
        if (data.ActionsOf(service) is not { } actions)
        {
            return $"{action}: no such service prefix{Suggest(service, name, data)}";
        }

        if (name.Contains('*', StringComparison.Ordinal) || name.Contains('?', StringComparison.Ordinal))
        {
            if (actions.Any(a => Spelling.Matches(name, a)))
            {
                return null;
            }

            var prefix = LongestPrefix(name[..name.IndexOfAny(['*', '?'])], actions);
            return $"{action}: matches no {service} action{(prefix.Length < 2 ? string.Empty : $"; did you mean {service}:{prefix}*?")}";
        }

        if (data.Find(service, name) is not null)
        {
            return null;
        }

        var near = Spelling.Nearest(name, actions);
        return $"{action}: no such action{(near is null ? $" in {service}" : $"; did you mean {service}:{near}?")}";
    }

    /// <summary>Whether <paramref name="action"/> is every action of a service ("s3:*"), or of every service ("*").</summary>
    public static bool IsServiceWide(string action) =>
        action == "*" || (Shape().Match(action) is { Success: true } m && m.Groups["name"].Value.All(c => c == '*'));

    /// <summary>The longest start of <paramref name="literal"/> some action begins with, spelled as that action spells it.</summary>
    private static string LongestPrefix(string literal, IReadOnlyList<string> actions)
    {
        for (var length = literal.Length; length > 0; length--)
        {
            var start = literal[..length];
            if (actions.FirstOrDefault(a => a.StartsWith(start, StringComparison.OrdinalIgnoreCase)) is { } found)
            {
                return found[..length];
            }
        }

        return string.Empty;
    }

    private static string Suggest(string service, string name, IamActions data)
    {
        var near = Spelling.Nearest(service, data.Services);
        if (near is null)
        {
            return string.Empty;
        }

        // Name the whole action when the near service has it: "s4:GetObject ... did you mean s3:GetObject?"
        var action = name.Contains('*', StringComparison.Ordinal) ? name : data.Find(near, name);
        return action is null ? $"; did you mean {near}?" : $"; did you mean {near}:{action}?";
    }

    [GeneratedRegex(@"^(?<service>[A-Za-z0-9*?-]+):(?<name>[A-Za-z0-9_*?-]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
