namespace CredentialVending.Revocation;

/// <summary>
/// The inline policies of a tenant's role, as IAM holds them (docs/api.md, "Revocation"). IAM unreachable, 5xx
/// or throttling after retries is a <see cref="Common.DependencyUnavailableException"/>; IAM refusing the request
/// is an <see cref="IamRefusedException"/> carrying IAM's error code.
/// </summary>
public interface IRolePolicies
{
    /// <summary>The inline policy's document (URL-decoded JSON), or null when IAM says NoSuchEntity.</summary>
    Task<string?> GetAsync(string roleName, string policyName, CancellationToken cancellationToken);

    Task PutAsync(string roleName, string policyName, string document, CancellationToken cancellationToken);

    /// <summary>NoSuchEntity is not an error: the policy is gone either way.</summary>
    Task DeleteAsync(string roleName, string policyName, CancellationToken cancellationToken);
}
