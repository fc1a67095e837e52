using System.Text.RegularExpressions;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Tenants;

namespace CredentialVending.Scoping;

/// <summary>The session policy and session tags one request is given, variables filled in.</summary>
public sealed record RenderedSession(string PolicyJson, IReadOnlyList<KeyValuePair<string, string>> Tags);

/// <summary>Renders docs/api.md "Credentials" step 4: the session policy and the session tags, or <c>unusable_claim</c>.</summary>
public static class SessionRenderer
{
    /// <summary>STS's limit on a session tag value, in characters.</summary>
    public const int MaxTagValueLength = StsInputs.MaxTagValueLength;

    public static Outcome<RenderedSession> Render(TenantDocument tenant, IReadOnlyList<Scope> scopes, string subject, ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(claims);

        // The subject becomes part of a ledger key: one too long to record must be refused before credentials exist.
        if (LeaseKeys.SubjectProblem(tenant.TenantId, subject) is { } unrecordable)
        {
            return new Refusal(Codes.UnusableClaim, unrecordable);
        }

        var values = new Values(tenant.TenantId, subject, claims);
        if (!PolicyWriter.TryWrite(scopes, values.Resolve, out var policy, out var failed))
        {
            return values.Refuse(failed);
        }

        if (policy.Length > PolicyWriter.MaxPolicyLength)
        {
            return new Refusal(
                Codes.InvalidScope,
                $"the scopes {string.Join(", ", scopes.Select(s => s.Name))} are too large together: their session policy is {policy.Length} characters and STS allows {PolicyWriter.MaxPolicyLength}; ask for fewer scopes");
        }

        var tags = new List<KeyValuePair<string, string>>(tenant.SessionTags.Count);
        foreach (var (key, template) in tenant.SessionTags)
        {
            if (!Template.TryRender(template, values.Resolve, out var value, out failed))
            {
                return values.Refuse(failed);
            }

            // Checked here too, though the reader bounds templates, because a claim's characters are only known now:
            // a comma is safe in a policy but STS refuses it in a tag value.
            if (!StsInputs.FitsTagValue(value))
            {
                return StsInputs.UnusableTag(key);
            }

            tags.Add(new(key, value));
        }

        return new RenderedSession(policy, tags);
    }

    /// <summary>The values of one request's variables, each checked once; remembers why one could not be used.</summary>
    private sealed class Values(string tenantId, string subject, ClaimSet claims)
    {
        private bool _missing;

        public string? Resolve(TemplateVariable variable)
        {
            _missing = false;
            var value = variable.Kind switch
            {
                VariableKind.Tenant => tenantId,
                VariableKind.Subject => subject,
                _ => Claim(variable.ClaimName!),
            };
            return Template.IsSafeValue(value) ? value : null;
        }

        private string? Claim(string name)
        {
            try
            {
                var value = claims.GetString(name);
                _missing = value is null;
                return value;
            }
            catch (InvalidOperationException)
            {
                // A claim escaping a lone surrogate ("\ud800") is valid JSON but no string: as unusable as any other bad value.
                return null;
            }
        }

        // The detail names the variable (and so the claim) but never echoes the value: it may be hostile, or personal.
        public Refusal Refuse(TemplateVariable variable) => new(
            Codes.UnusableClaim,
            _missing
                ? $"{variable} cannot be rendered: the token has no claim {variable.ClaimName}, or it is not a string"
                : $"{variable} cannot be rendered: its value must be 1 to {Template.MaxValueLength} of A-Z a-z 0-9 _ . @ + = , - and is not");
    }

    /// <summary>STS's tag value characters; the tenant reader checks a template's literal parts with it.</summary>
    internal static Regex TagValue() => StsInputs.TagText();
}
