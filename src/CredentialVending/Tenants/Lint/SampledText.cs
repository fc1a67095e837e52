using System.Text;

namespace CredentialVending.Tenants.Lint;

/// <summary>
/// A statement string with each variable put in as one marker character, so the lint can split an ARN on its colons
/// (<c>{{claim:org}}</c> and <c>${aws:PrincipalTag/tenant}</c> hold colons of their own) and see where the tenant stands.
/// </summary>
internal sealed record SampledText(string Text, bool UsesPrincipalTag)
{
    /// <summary>Stands for <c>{{tenant}}</c> or <c>${aws:PrincipalTag/tenant}</c>.</summary>
    public const char Tenant = '\uE001';

    /// <summary>Stands for an IAM policy variable other than the tenant's tag (<c>${aws:username}</c>).</summary>
    public const char Other = '\uE000';

    /// <summary>Stands for <c>{{subject}}</c> or <c>{{claim:NAME}}</c>: values the caller's identity provider chooses.</summary>
    public const char Caller = '\uE002';

    public const string PrincipalTagTenant = "aws:PrincipalTag/tenant";

    /// <summary>Null when the text holds a marker character itself, which would pass for a variable.</summary>
    public static SampledText? Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny(Tenant, Other, Caller) >= 0)
        {
            return null;
        }

        var sampled = new StringBuilder(text.Length);
        var principalTag = false;
        var at = 0;
        while (at < text.Length)
        {
            var template = text.AsSpan(at).StartsWith("{{") ? text.IndexOf("}}", at + 2, StringComparison.Ordinal) : -1;
            var policy = text.AsSpan(at).StartsWith("${") ? text.IndexOf('}', at + 2) : -1;
            if (template > 0)
            {
                sampled.Append(text.AsSpan(at + 2, template - at - 2).SequenceEqual("tenant") ? Tenant : Caller);
                at = template + 2;
            }
            else if (policy > 0)
            {
                var name = text[(at + 2)..policy];
                var isTenant = name.Equals(PrincipalTagTenant, StringComparison.OrdinalIgnoreCase);
                principalTag |= isTenant;

                // ${*}, ${?} and ${$} are IAM's escapes for the characters themselves; a template variable inside an IAM
                // variable's name (${aws:PrincipalTag/{{claim:x}}}) lets the caller pick which value stands there.
                sampled.Append(name switch
                {
                    "*" => '*',
                    "?" => '?',
                    "$" => '$',
                    _ when name.Contains("{{", StringComparison.Ordinal) => Caller,
                    _ => isTenant ? Tenant : Other,
                });
                at = policy + 1;
            }
            else
            {
                sampled.Append(text[at++]);
            }
        }

        return new SampledText(sampled.ToString(), principalTag);
    }

    public static bool HasVariable(string part) => part.AsSpan().IndexOfAny(Tenant, Other, Caller) >= 0;

    public static bool IsVariable(char c) => c is Tenant or Other or Caller;

    public static bool IsWildcard(char c) => c is '*' or '?';

    /// <summary>The text with sample values in, for checks of a name's characters.</summary>
    public static string Fill(string part, string tenantId) => part
        .Replace(Tenant.ToString(), tenantId, StringComparison.Ordinal)
        .Replace(Other.ToString(), "sample", StringComparison.Ordinal)
        .Replace(Caller.ToString(), "sample", StringComparison.Ordinal);

    /// <summary>Where an ARN's resource part starts (after its fifth colon), or 0 for a text that is no ARN.</summary>
    public int ResourceStart()
    {
        if (!Text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return 0;
        }

        var at = -1;
        for (var colons = 0; colons < 5; colons++)
        {
            at = Text.IndexOf(':', at + 1);
            if (at < 0)
            {
                return 0;
            }
        }

        return at + 1;
    }
}
