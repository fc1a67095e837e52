using System.Globalization;
using System.Text.RegularExpressions;

namespace CredentialVending.Local.Sts;

/// <summary>
/// STS's input constraints from its API model, reported the way STS reports them: every broken constraint in one
/// <c>ValidationError</c>, "N validation errors detected: Value '...' at 'name' failed to satisfy constraint: ...".
/// </summary>
internal sealed partial class StsLimits
{
    private readonly List<string> _problems = [];

    public void Required(string member, string? value)
    {
        if (value is null)
        {
            _problems.Add($"Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }
    }

    public void Text(string member, string? value, int min, int max, Regex? pattern = null, string? patternText = null, bool echo = true)
    {
        if (value is null)
        {
            return;
        }

        var shown = echo ? value : "***";
        if (value.Length < min)
        {
            _problems.Add($"Value '{shown}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
        }

        if (value.Length > max)
        {
            _problems.Add($"Value '{shown}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        }

        if (pattern is not null && !pattern.IsMatch(value))
        {
            _problems.Add($"Value '{shown}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {patternText}");
        }
    }

    public void Number(string member, string? raw, int min, int max)
    {
        if (raw is null)
        {
            return;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            _problems.Add($"Value '{raw}' at '{member}' failed to satisfy constraint: Member must be a number");
            return;
        }

        if (value < min)
        {
            _problems.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to {min}");
        }

        if (value > max)
        {
            _problems.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {max}");
        }
    }

    public void Count(string member, int count, int max)
    {
        if (count > max)
        {
            _problems.Add($"Value '[{count} items]' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        }
    }

    public void SessionName(string member, string? value) => Text(member, value, 2, 64, SessionNamePattern(), @"[\w+=,.@-]*");

    public void ExternalId(string? value) => Text("externalId", value, 2, 1224, ExternalIdPattern(), @"[\w+=,.@:/-]*");

    public void Tags(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        Count("tags", tags.Count, 50);
        for (var i = 0; i < tags.Count; i++)
        {
            Text($"tags.{i + 1}.member.key", tags[i].Key, 1, 128, TagPattern(), @"[\p{L}\p{Z}\p{N}_.:/=+\-@]+");
            Text($"tags.{i + 1}.member.value", tags[i].Value, 0, 256, TagPattern(), @"[\p{L}\p{Z}\p{N}_.:/=+\-@]*");
        }
    }

    public StsError? Result() => _problems.Count switch
    {
        0 => null,
        1 => StsError.Validation("1 validation error detected: " + _problems[0]),
        _ => StsError.Validation($"{_problems.Count} validation errors detected: " + string.Join("; ", _problems)),
    };

    // AWS's \w is Java's, ASCII only.
    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@:/-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ExternalIdPattern();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
