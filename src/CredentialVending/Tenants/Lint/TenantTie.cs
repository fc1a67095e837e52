namespace CredentialVending.Tenants.Lint;

internal enum Tie
{
    /// <summary>The tenant stands in the text, fenced so that no other tenant's value can match.</summary>
    Tied,

    /// <summary>Neither <c>{{tenant}}</c> nor <c>${aws:PrincipalTag/tenant}</c> stands in the text.</summary>
    Absent,

    /// <summary>A wildcard comes before the tenant, so the tenant can stand anywhere in another tenant's names.</summary>
    WildcardBefore,

    /// <summary>A wildcard or another variable touches the tenant: "acme*" also matches tenant "acme-corp".</summary>
    Unfenced,
}

/// <summary>
/// Whether a resource or condition value is tied to one tenant. A tenant id is [a-z0-9-], so any other literal
/// character beside it (a /, a #, a capital, the end of the text) fences it; a wildcard or a variable beside it does not.
/// </summary>
internal static class TenantTie
{
    /// <summary>The tie of <paramref name="text"/>, looking only from <paramref name="start"/> (an ARN's resource part).</summary>
    public static Tie Of(SampledText text, int start)
    {
        var s = text.Text;
        var worst = Tie.Absent;
        for (var i = s.IndexOf(SampledText.Tenant, start); i >= 0; i = s.IndexOf(SampledText.Tenant, i + 1))
        {
            var tie = s.AsSpan(start, i - start).ContainsAny('*', '?') ? Tie.WildcardBefore
                : Fenced(s, i, -1, start) && Fenced(s, i, +1, start) ? Tie.Tied
                : Tie.Unfenced;
            if (tie == Tie.Tied)
            {
                return tie;
            }

            worst = worst == Tie.Absent ? tie : worst;
        }

        return worst;
    }

    /// <summary>How to fix a text whose tie is <paramref name="tie"/>, with the tenant's own id as the example.</summary>
    public static string Explain(Tie tie, string tenantId) => tie switch
    {
        Tie.WildcardBefore => $"has a wildcard before the tenant, so it also matches names of other tenants that merely hold \"{tenantId}\" further on: put the tenant before any wildcard",
        Tie.Unfenced => $"lets a wildcard or another variable touch the tenant, so \"{tenantId}*\" would also match tenant \"{tenantId}-2\": put a / (or another character no tenant id holds) between them",
        _ => "is not tied to the tenant: put {{tenant}} or ${aws:PrincipalTag/tenant} in it, fenced by / (arn:aws:s3:::bucket/{{tenant}}/*)",
    };

    private static bool Fenced(string s, int at, int step, int start)
    {
        for (var i = at + step; i >= start && i < s.Length; i += step)
        {
            var c = s[i];
            if (c is SampledText.Tenant or SampledText.Other || SampledText.IsWildcard(c))
            {
                return false;
            }

            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return true;
            }
        }

        // The start of the resource part, or the end of the text, is a fence too.
        return true;
    }
}
