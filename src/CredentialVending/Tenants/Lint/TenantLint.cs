using CredentialVending.Common;

namespace CredentialVending.Tenants.Lint;

/// <summary>
/// The onboarding lint of docs/api.md ("Lint"): actions are IAM's, resources well-formed ARNs, condition operators and keys
/// IAM's, and every Allow tied to the tenant unless its scope is shared. PUT refuses on it (through
/// <see cref="TenantDocumentReader.Read"/>); preview answers it as warnings for a stored document that PUT would now refuse.
/// </summary>
public static class TenantLint
{
    /// <summary>
    /// What the lint finds in <paramref name="tenant"/>, by path (<c>scopes.files:read.statements[0].Action[1]</c>): the same
    /// findings PUT would refuse the document with today. Empty when the document passes.
    /// </summary>
    public static IReadOnlyList<FieldError> Check(TenantDocument tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var findings = new Findings();
        var lint = new StatementLint(tenant.TenantId);
        var sids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var scope in tenant.Scopes)
        {
            for (var i = 0; i < scope.Statements.Count; i++)
            {
                // The grammar again, strictly: a document read without the lint passed it but for the lint's own grammar.
                var path = $"scopes.{scope.Name}.statements[{i}]";
                StatementGrammar.Check(scope.Statements[i], path, sids, findings, strict: true);
                lint.Statement(scope.Statements[i], path, scope.Shared, findings);
            }
        }

        lint.Document(tenant.Issuance.Mode, tenant.SessionTags, findings);
        return findings.Errors;
    }

    /// <summary>Which IAM data the action list came from: the package, its version and the date of its data.</summary>
    public static string ActionListSource => IamActions.Default.Source;
}
