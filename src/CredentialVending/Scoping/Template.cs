using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace CredentialVending.Scoping;

public enum VariableKind
{
    Tenant,
    Subject,
    Claim,
}

/// <summary>One of docs/api.md's template variables: <c>{{tenant}}</c>, <c>{{subject}}</c> or <c>{{claim:NAME}}</c>.</summary>
public readonly record struct TemplateVariable(VariableKind Kind, string? ClaimName = null)
{
    public override string ToString() => Kind switch
    {
        VariableKind.Tenant => "{{tenant}}",
        VariableKind.Subject => "{{subject}}",
        _ => "{{claim:" + ClaimName + "}}",
    };
}

/// <summary>
/// Reads and fills the <c>{{...}}</c> variables of a statement string or a tag value. IAM's own <c>${...}</c>
/// variables are plain text here, so they reach IAM untouched.
/// </summary>
public static partial class Template
{
    /// <summary>The longest value a variable may take; the worst-case size check renders every variable at it.</summary>
    public const int MaxValueLength = 64;

    /// <summary>Whether a value may be substituted. Anything else could widen or break a policy, so it is refused, never escaped.</summary>
    public static bool IsSafeValue(string? value) => value is not null && SafeValue().IsMatch(value);

    /// <summary>Null when every <c>{{...}}</c> in <paramref name="text"/> is a known variable; else what is wrong.</summary>
    public static string? Check(string text) => Walk(text, null, null, out _, out _);

    /// <summary>The text with its variables taken out, so the literal parts can be checked on their own.</summary>
    public static string LiteralParts(string text)
    {
        var literal = new StringBuilder();
        Walk(text, literal, null, out _, out _);
        return literal.ToString();
    }

    /// <summary>The variables <paramref name="text"/> uses, in order (empty when it has none or is malformed).</summary>
    public static IReadOnlyList<TemplateVariable> Variables(string text)
    {
        var found = new List<TemplateVariable>();
        Walk(text, null, v => { found.Add(v); return string.Empty; }, out _, out _);
        return found;
    }

    /// <summary>
    /// Fills every variable with <paramref name="resolve"/>'s answer; false, with the variable, when it answers null.
    /// The caller validates values: this only substitutes.
    /// </summary>
    public static bool TryRender(string text, Func<TemplateVariable, string?> resolve, [NotNullWhen(true)] out string? rendered, out TemplateVariable failed)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            rendered = text;
            failed = default;
            return true;
        }

        var output = new StringBuilder(text.Length + 64);
        var error = Walk(text, output, resolve, out var unresolved, out failed);
        rendered = error is null && !unresolved ? output.ToString() : null;
        return rendered is not null;
    }

    private static string? Walk(string text, StringBuilder? output, Func<TemplateVariable, string?>? resolve, out bool unresolved, out TemplateVariable failed)
    {
        unresolved = false;
        failed = default;
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                output?.Append(text, at, text.Length - at);
                return null;
            }

            output?.Append(text, at, open - at);
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                return "has a {{ without its closing }}";
            }

            if (!TryParse(text.AsSpan(open + 2, close - open - 2), out var variable))
            {
                return "uses an unknown template variable: only {{tenant}}, {{subject}} and {{claim:NAME}} are known";
            }

            if (resolve is not null)
            {
                var value = resolve(variable);
                if (value is null)
                {
                    unresolved = true;
                    failed = variable;
                    return null;
                }

                output?.Append(value);
            }

            at = close + 2;
        }

        return null;
    }

    private static bool TryParse(ReadOnlySpan<char> inner, out TemplateVariable variable)
    {
        variable = default;
        if (inner.SequenceEqual("tenant"))
        {
            variable = new TemplateVariable(VariableKind.Tenant);
            return true;
        }

        if (inner.SequenceEqual("subject"))
        {
            variable = new TemplateVariable(VariableKind.Subject);
            return true;
        }

        if (inner.StartsWith("claim:", StringComparison.Ordinal) && ClaimName().IsMatch(inner[6..]))
        {
            variable = new TemplateVariable(VariableKind.Claim, inner[6..].ToString());
            return true;
        }

        return false;
    }

    // \z, not $: .NET's $ also matches before a final newline, which would let "alice\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9_.@+=,-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeValue();

    // Claim names are namespaced URLs in some providers (Auth0's "https://example.com/roles"), so allow any printable ASCII but braces.
    [GeneratedRegex(@"^[!-z|~]{1,256}\z", RegexOptions.CultureInvariant)]
    internal static partial Regex ClaimName();
}
