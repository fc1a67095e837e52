namespace CredentialVending.Tenants.Lint;

internal enum Tie
{
    /// <summary>The tenant stands in the text, fenced so that no other tenant's value can match.</summary>
    Tied,

    /// <summary>Neither <c>{{tenant}}</c> nor <c>${aws:PrincipalTag/tenant}</c> stands in the text.</summary>
    Absent,

    /// <summary>A wildcard comes before the tenant, so the tenant can stand anywhere in another tenant's names.</summary>
    WildcardBefore,

    /// <summary>A caller's value (<c>{{subject}}</c>, a claim) or an IAM variable comes before the tenant and can name anything.</summary>
    VariableBefore,

    /// <summary>The tenant's neighbour could continue a tenant id: "acme*" or "acme-x" also match tenant "acme-x".</summary>
    Unfenced,

    /// <summary>The partition, service, region or account is not literal, so the name can be another account's or service's.</summary>
    FieldsNotLiteral,
}

/// <summary>
/// Whether a resource or condition value is tied to one tenant (docs/api.md, "What ties a statement to the tenant"): the
/// tenant stands in it with only literal text before it, and a character no tenant id holds ([a-z0-9-]) on each side.
/// </summary>
internal static class TenantTie
{
    /// <summary>
    /// The tie of <paramref name="text"/>, looking at an ARN's resource part (and at its other fields, which must be literal).
    /// <paramref name="ignoreCase"/> for values IAM compares without case, where a capital letter is no fence.
    /// </summary>
    /// <paramref name="prefix"/> for a value that is the start of longer names (s3:prefix), whose end fences nothing.
    public static Tie Of(SampledText text, bool ignoreCase = false, bool prefix = false)
    {
        var s = text.Text;
        var start = text.ResourceStart();
        if (s.IndexOf(SampledText.Tenant, start) < 0)
        {
            return Tie.Absent;
        }

        if (start > 0 && !LiteralFields(s[..start]))
        {
            return Tie.FieldsNotLiteral;
        }

        var worst = Tie.Absent;
        for (var i = s.IndexOf(SampledText.Tenant, start); i >= 0; i = s.IndexOf(SampledText.Tenant, i + 1))
        {
            var before = s.AsSpan(start, i - start);
            var tie = before.ContainsAny('*', '?') ? Tie.WildcardBefore
                : before.ContainsAny(SampledText.Other, SampledText.Caller) ? Tie.VariableBefore
                : Fence(s, i - 1, ignoreCase) && Fence(s, i + 1, ignoreCase) && !(prefix && i + 1 == s.Length) ? Tie.Tied
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
        Tie.VariableBefore => "has {{subject}}, a claim or another variable before the tenant, so the caller's identity provider could name another tenant's resources (arn:aws:s3:::{{subject}}/{{tenant}}/* names any bucket): put the tenant first, and such variables after its fence (arn:aws:s3:::bucket/{{tenant}}/{{subject}}/*)",
        Tie.Unfenced => $"lets a wildcard, a variable or a letter, digit or - touch the tenant, so \"{tenantId}*\" would also match tenant \"{tenantId}-2\" and \"{tenantId}-orders\" may be tenant \"{tenantId}-orders\"'s own name: put a / (or another character no tenant id holds: : _ . #) on each side of the tenant",
        Tie.FieldsNotLiteral => "has a wildcard or a variable in its partition, service or account (or a variable in its region), so it can name another account's or service's resources: write them out (a region may be *)",
        _ => "is not tied to the tenant: put {{tenant}} or ${aws:PrincipalTag/tenant} in it, fenced by / (arn:aws:s3:::bucket/{{tenant}}/*)",
    };

    /// <summary>
    /// Whether a wildcard or another variable follows <c>{{subject}}</c> or a claim with no character between that no value
    /// of theirs holds: "{{subject}}*" gives alice the names of subject alice2 too. Literal text after it is fine.
    /// </summary>
    public static bool CallerUnfenced(SampledText text)
    {
        var s = text.Text;
        for (var i = s.IndexOf(SampledText.Caller, text.ResourceStart()); i >= 0; i = s.IndexOf(SampledText.Caller, i + 1))
        {
            for (var j = i + 1; j < s.Length; j++)
            {
                var c = s[j];
                if (SampledText.IsVariable(c) || SampledText.IsWildcard(c))
                {
                    return true;
                }

                if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '@' or '+' or '=' or ',' or '-'))
                {
                    break;
                }
            }
        }

        return false;
    }

    /// <summary>Whether an ARN's partition, service, region and account (the text before its resource part) are literal.</summary>
    public static bool LiteralFields(string head)
    {
        var fields = head.Split(':');
        for (var f = 1; f < fields.Length; f++)
        {
            // A region of * is still the tenant's own name in every region; an account or service of * is anyone's.
            var wildcardAllowed = f == 3;
            if (SampledText.HasVariable(fields[f]) || (!wildcardAllowed && fields[f].AsSpan().ContainsAny('*', '?')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the character at <paramref name="at"/> (or the text's start or end) ends a tenant id.</summary>
    private static bool Fence(string s, int at, bool ignoreCase)
    {
        if (at < 0 || at >= s.Length)
        {
            return true;
        }

        var c = s[at];
        return !(SampledText.IsVariable(c) || SampledText.IsWildcard(c)
            || c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'
            || (ignoreCase && c is >= 'A' and <= 'Z'));
    }
}
