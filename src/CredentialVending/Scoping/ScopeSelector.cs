using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Tenants;

namespace CredentialVending.Scoping;

/// <summary>docs/api.md "Credentials" step 2: which of the tenant's scopes a request is given.</summary>
public static class ScopeSelector
{
    /// <summary>
    /// The scopes asked for (none: the tenant's <c>defaultScopes</c>, held to the same rules as if the caller had named them),
    /// duplicates collapsed, in the document's order whatever the request's order, so one set of scopes always makes the same policy.
    /// Unknown names are reported before scopes the caller does not hold: the first is the caller's typo, the second a decision.
    /// </summary>
    public static Outcome<IReadOnlyList<Scope>> Select(TenantDocument tenant, IReadOnlyList<string>? requested, ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(claims);

        if (requested is null || requested.Count == 0)
        {
            if (tenant.DefaultScopes is null)
            {
                return new Refusal(Codes.InvalidScope, "name the scopes to issue: this tenant has no defaultScopes");
            }

            requested = tenant.DefaultScopes;
        }

        var asked = new HashSet<string>(requested, StringComparer.Ordinal);
        var unknown = requested.Distinct(StringComparer.Ordinal).Where(name => tenant.FindScope(name) is null).ToArray();
        if (unknown.Length > 0)
        {
            return new Refusal(Codes.InvalidScope, $"unknown scope {Describe(unknown)}");
        }

        var selected = tenant.Scopes.Where(s => asked.Contains(s.Name)).ToArray();
        var refused = selected.Where(s => s.GrantedTo is not null && !claims.Holds(s.GrantedTo)).Select(s => s.Name).ToArray();
        if (refused.Length > 0)
        {
            return new Refusal(Codes.ScopeNotPermitted, $"the caller does not hold the scope {string.Join(", ", refused)}");
        }

        return selected;
    }

    // A requested name is the caller's own text: repeat it only when it is shaped like a scope name, so the detail stays readable.
    private static string Describe(IEnumerable<string> names) => string.Join(
        ", ",
        names.Take(5).Select(n => TenantPatterns.ScopeName().IsMatch(n) ? n : "(a name that is not a valid scope name)"));
}
