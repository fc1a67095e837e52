using System.Text.Json;
using System.Text.RegularExpressions;

namespace CredentialVending.Tenants.Lint;

/// <summary>IAM's condition operators and key grammar, and which conditions tie a statement to the tenant.</summary>
internal static partial class ConditionLint
{
    // IAM's operators (the IAM User Guide's "Condition operators"); IfExists may follow any but Null.
    private static readonly string[] Operators =
    [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
        "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
        "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
    ];

    private const string IfExists = "IfExists";
    private static readonly string[] Qualifiers = ["ForAllValues:", "ForAnyValue:"];

    private static readonly Lazy<string[]> Spellings = new(() =>
        [.. from q in Qualifiers.Prepend(string.Empty)
            from o in Operators
            from e in o == "Null" ? [string.Empty] : new[] { string.Empty, IfExists }
            select q + o + e]);

    /// <summary>The parts of an operator (qualifier, base operator, IfExists), or null when IAM has no such operator.</summary>
    public static (string Qualifier, string Base, bool IfExists)? Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var qualifier = Qualifiers.FirstOrDefault(q => name.StartsWith(q, StringComparison.Ordinal)) ?? string.Empty;
        var rest = name[qualifier.Length..];
        var ifExists = rest.EndsWith(IfExists, StringComparison.Ordinal) && rest != IfExists;
        var op = ifExists ? rest[..^IfExists.Length] : rest;
        return Array.IndexOf(Operators, op) < 0 || (ifExists && op == "Null") ? null : (qualifier, op, ifExists);
    }

    public static string? OperatorProblem(string name)
    {
        if (Parse(name) is not null)
        {
            return null;
        }

        var near = Spelling.Nearest(name, Spellings.Value);
        return name.EndsWith("NullIfExists", StringComparison.Ordinal)
            ? "is not a condition operator: Null takes no IfExists, since it tests whether the key exists"
            : $"is not a condition operator of IAM's{(near is null ? " (StringEquals, StringLike, ArnLike, Bool, Null, ... with ForAllValues:/ForAnyValue: and IfExists)" : $"; did you mean {near}?")}";
    }

    /// <summary>Null when <paramref name="key"/> has IAM's shape (prefix:Name, prefix:Name/tag or prefix:Name:key) and a known prefix.</summary>
    public static string? KeyProblem(string key)
    {
        var match = KeyShape().Match(key);
        if (!match.Success)
        {
            return "is not a condition key: write service:Name or aws:Name, with a tag key after a / (aws:ResourceTag/tenant)";
        }

        var prefix = match.Groups["prefix"].Value;

        // A dotted prefix is a web identity provider's (accounts.google.com:aud), which no list holds.
        if (prefix.Contains('.', StringComparison.Ordinal) || prefix.Contains('/', StringComparison.Ordinal) || IamActions.Default.HasService(prefix))
        {
            return null;
        }

        var near = Spelling.Nearest(prefix, IamActions.Default.Services);
        return $"is not a condition key: no service has the prefix \"{prefix}\"{(near is null ? string.Empty : $"; did you mean {near}:{match.Groups["name"].Value}?")}";
    }

    /// <summary>Null and Bool test true or false, and IAM refuses anything else.</summary>
    public static string? ValueProblem(string baseOperator, JsonElement value) =>
        baseOperator is "Null" or "Bool"
        && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
        && !(value.ValueKind == JsonValueKind.String && (value.ValueEquals("true") || value.ValueEquals("false")))
            ? $"must be true or false: {baseOperator} tests a boolean"
            : null;

    // After the name, a / and a tag key (aws:ResourceTag/aws:cloudformation:stack-name) or a : and a context key
    // (kms:EncryptionContext:aws:s3:arn): IAM takes colons in both.
    [GeneratedRegex(@"^(?<prefix>[A-Za-z0-9][A-Za-z0-9._/-]*):(?<name>[A-Za-z0-9_.-]+)(?:[/:]\P{Cc}+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShape();
}
