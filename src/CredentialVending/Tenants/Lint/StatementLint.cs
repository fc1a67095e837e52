using System.Text.Json;
using CredentialVending.Scoping;

namespace CredentialVending.Tenants.Lint;

/// <summary>
/// The lint of one document's statements, statement by statement: actions are real, resources well formed, and every
/// Allow tied to the tenant unless its scope is shared. Grammar (Effect, Sids, operators) is <see cref="StatementGrammar"/>'s.
/// </summary>
internal sealed class StatementLint(string tenantId)
{
    private const string HowToShare = "or mark the scope \"shared\": true if it must reach what every tenant shares";

    // Statements tied by ${aws:PrincipalTag/tenant}: that tag must then be the tenant, which only sessionTags can promise.
    private readonly List<string> _principalTagStatements = [];

    public void Statement(JsonElement statement, string path, bool shared, Findings findings)
    {
        if (statement.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var allow = statement.TryGetProperty("Effect", out var effect) && effect.ValueKind == JsonValueKind.String && effect.ValueEquals("Allow");
        var actions = Strings(statement, "Action", path).Concat(Strings(statement, "NotAction", path)).ToList();
        var resources = Strings(statement, "Resource", path).Select(r => (r.Path, Sampled: SampledText.Of(r.Text))).ToList();
        foreach (var (at, action) in actions)
        {
            if (ActionLint.Problem(action) is { } problem)
            {
                findings.Add(at, problem);
            }
        }

        foreach (var (at, sampled) in resources.Concat(Strings(statement, "NotResource", path).Select(r => (r.Path, Sampled: SampledText.Of(r.Text)))))
        {
            if (sampled is null)
            {
                findings.Add(at, "holds a private-use character (U+E000 to U+E002), which no AWS name does");
            }
            else if (ArnLint.Problem(sampled, tenantId) is { } problem)
            {
                findings.Add(at, problem);
            }
        }

        if (allow)
        {
            Everything(actions, resources.Any(r => r.Sampled?.Text == "*"), findings);
            if (!shared)
            {
                Isolation(statement, path, resources, findings);
            }
        }
    }

    /// <summary>The findings that need the whole document: those about session tags the statements rely on.</summary>
    public void Document(IssuanceMode? mode, IReadOnlyList<KeyValuePair<string, string>> sessionTags, Findings findings)
    {
        var tagsTenant = sessionTags.Any(t => t.Key.Equals("tenant", StringComparison.OrdinalIgnoreCase) && t.Value == "{{tenant}}");

        // A brokered role trusts only this service's tokens, so the tenant tag they carry is what scopes it: always required.
        if (mode == IssuanceMode.Brokered && !tagsTenant)
        {
            findings.Add("sessionTags", "must hold \"tenant\": \"{{tenant}}\" in brokered mode: the minted token carries it, so the tenant's role can be scoped by ${aws:PrincipalTag/tenant}");
            return;
        }

        if (_principalTagStatements.Count > 0 && mode == IssuanceMode.Saml)
        {
            // The identity provider's assertion sets a SAML session's tags, and nothing checks them before STS: they tie nothing.
            foreach (var path in _principalTagStatements)
            {
                findings.Add(path, "ties resources to the tenant by ${aws:PrincipalTag/tenant}, but in saml mode the identity provider sets the session's tags: tie it by {{tenant}} instead");
            }

            return;
        }

        // In webIdentity mode the token's https://aws.amazon.com/tags claim sets the tags, and vend refuses (403
        // tenant_mismatch) a token whose principal_tags.tenant is not exactly [tenantId]: the tag is the tenant then too.
        if (_principalTagStatements.Count == 0 || mode is null or IssuanceMode.WebIdentity || tagsTenant)
        {
            return;
        }

        var more = _principalTagStatements.Count > 1 ? $" (and {_principalTagStatements.Count - 1} more)" : string.Empty;
        findings.Add(
            "sessionTags",
            $"{_principalTagStatements[0]}{more} ties resources to the tenant by ${{aws:PrincipalTag/tenant}}, but no session tag sets tenant to {{{{tenant}}}}: add \"tenant\": \"{{{{tenant}}}}\" to sessionTags");
    }

    private static void Everything(List<(string Path, string Text)> actions, bool anyResource, Findings findings)
    {
        foreach (var (at, action) in actions)
        {
            if (action == "*")
            {
                findings.Add(at, "\"*\" allows every action of every service, shared or not: name the actions the scope needs (s3:GetObject)");
            }
            else if (anyResource && ActionLint.IsServiceWide(action) && !action.Split(':')[0].AsSpan().ContainsAny('*', '?'))
            {
                findings.Add(at, $"{action} on Resource \"*\" allows every {action.Split(':')[0]} action on every resource, shared or not: name the actions, and the resources they need");
            }
        }
    }

    private void Isolation(JsonElement statement, string path, List<(string Path, SampledText? Sampled)> resources, Findings findings)
    {
        // Whatever ties the statement to the tenant, one subject's policy must not match another subject's names.
        foreach (var (at, sampled) in resources.Concat(ConditionTie.ComparedValues(statement, path)))
        {
            if (sampled is not null && TenantTie.CallerUnfenced(sampled))
            {
                findings.Add(at, "lets a wildcard or another variable follow {{subject}} (or a claim) with no fence between, so alice's policy would also match subject alice2's names: put a / (or another character no subject holds: : # ...) after it");
            }
        }

        var condition = ConditionTie.Of(statement, path, tenantId, [.. resources.Select(r => r.Sampled)]);
        if (condition.Tied)
        {
            Note(condition.UsesPrincipalTag, path);
            return;
        }

        var loose = new List<(string Path, Tie Tie)>();
        foreach (var (at, sampled) in resources)
        {
            var tie = sampled is null ? Tie.Tied : TenantTie.Of(sampled);
            if (tie != Tie.Tied)
            {
                loose.Add((at, tie));
            }
            else if (sampled is not null)
            {
                Note(sampled.UsesPrincipalTag, path);
            }
        }

        // A condition that fails to tie matters only when the resources do not tie the statement by themselves.
        if (loose.Count == 0)
        {
            return;
        }

        foreach (var (at, message) in condition.NearMisses)
        {
            findings.Add(at, message);
        }

        foreach (var (at, tie) in loose)
        {
            findings.Add(at, $"{TenantTie.Explain(tie, tenantId)}; or tie the statement by a Condition on the tenant (\"StringEquals\": {{ \"aws:ResourceTag/tenant\": \"${{aws:PrincipalTag/tenant}}\" }}); {HowToShare}");
        }
    }

    private void Note(bool usesPrincipalTag, string path)
    {
        if (usesPrincipalTag && !_principalTagStatements.Contains(path))
        {
            _principalTagStatements.Add(path);
        }
    }

    /// <summary>The member's strings with their paths; items the grammar refuses (not strings, bad variables) are left to it.</summary>
    private static IEnumerable<(string Path, string Text)> Strings(JsonElement statement, string name, string path)
    {
        if (!statement.TryGetProperty(name, out var value))
        {
            yield break;
        }

        var items = value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : new[] { value };
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].ValueKind == JsonValueKind.String && items[i].GetString() is { Length: > 0 } text && Template.Check(text) is null)
            {
                yield return (value.ValueKind == JsonValueKind.Array ? $"{path}.{name}[{i}]" : $"{path}.{name}", text);
            }
        }
    }
}
