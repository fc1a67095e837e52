using System.Text.RegularExpressions;

namespace CredentialVending.Common;

/// <summary>
/// The ARN patterns of the configuration (<c>ADMIN_PRINCIPAL_ARNS</c>, <c>TENANT_ROLE_ARN_PATTERN</c>): <c>*</c> matches
/// any run of characters, colons included, and everything else matches itself.
/// </summary>
public static partial class ArnPatterns
{
    /// <summary>'*' matches any run of characters (including none); everything else matches itself, case and all.</summary>
    public static bool Matches(string pattern, string value)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && pattern[p] == value[v])
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>
    /// Whether the pattern names one account: literal partition, service and region, and 12 digits of account. A '*'
    /// anywhere before the resource spans the colons after it, so it would match every account's principals.
    /// </summary>
    public static bool NamesOneAccount(string pattern) => OneAccount().IsMatch(pattern ?? string.Empty);

    /// <summary>A role ARN pattern as the template's TenantRoleArnPattern takes it: account or '*', then role/ and a path and name.</summary>
    public static bool IsRolePattern(string pattern) => RolePattern().IsMatch(pattern ?? string.Empty);

    [GeneratedRegex(@"^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:[0-9]{12}:[^\s]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex OneAccount();

    // The template's AllowedPattern for TenantRoleArnPattern, anchored with \z; '?' is left out there and here, so the
    // IAM policy on vend and this check read the pattern the same way.
    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::([0-9]{12}|\*):role/[A-Za-z0-9_+=,.@/*-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex RolePattern();
}
