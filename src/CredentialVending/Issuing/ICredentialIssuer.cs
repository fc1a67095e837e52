using CredentialVending.Common;

namespace CredentialVending.Issuing;

/// <summary>
/// Asks STS for a tenant session. Answers the credentials, or a refusal the caller or the tenant must act on
/// (<c>issuance_failed</c>, <c>invalid_scope</c>, <c>invalid_token</c>); throws
/// <see cref="DependencyUnavailableException"/> when no STS endpoint could answer.
/// </summary>
public interface ICredentialIssuer
{
    Task<Outcome<IssuedCredentials>> IssueAsync(IssueRequest request, CancellationToken ct);
}
