using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Common;
using CredentialVending.Identity.Saml;

namespace CredentialVending.Issuing;

/// <summary>
/// AssumeRoleWithSAML (docs/api.md "SAML tenants"), unsigned as the SDK sends it, and the binding of its answer: STS
/// verified the signature of an assertion, but which one? A response carrying one signed assertion and one forged one
/// must not be scoped by the forged one, so the credentials leave only when STS's Subject, Issuer and Audience are the
/// ones the function read and rendered the policy from.
/// </summary>
internal static class StsSamlIssuance
{
    /// <summary>What STS said the verified assertion held, beside the credentials it issued.</summary>
    public sealed record Answer(IssuedCredentials Credentials, string? Subject, string? Issuer, string? Audience);

    public static async Task<Answer> AssumeRoleWithSamlAsync(
        AmazonSecurityTokenServiceClient client, StsEndpoint endpoint, IssueRequest request, CancellationToken ct)
    {
        var response = await client.AssumeRoleWithSAMLAsync(
            new AssumeRoleWithSAMLRequest
            {
                RoleArn = request.RoleArn,
                PrincipalArn = request.PrincipalArn,
                SAMLAssertion = request.SamlAssertion,
                Policy = StsCredentialIssuer.NullIfEmpty(request.PolicyJson),
                DurationSeconds = request.DurationSeconds,
            },
            ct).ConfigureAwait(false);

#pragma warning disable CS0618 // As for AssumeRole: the lease keeps STS's PackedPolicySize percentage.
        var packedPolicySize = response.PackedPolicySize;
#pragma warning restore CS0618
        var credentials = StsCredentialIssuer.ToIssued(response.Credentials, response.AssumedRoleUser, packedPolicySize, endpoint);
        return new Answer(credentials, response.Subject, response.Issuer, response.Audience);
    }

    /// <summary>The credentials, or 502 when STS's answer is about another assertion than the one read (they are dropped unseen).</summary>
    public static Outcome<IssuedCredentials> Bind(Answer answer, SamlFacts expected)
    {
        var differs = new List<string>(3);
        if (!string.Equals(answer.Subject, expected.NameId, StringComparison.Ordinal))
        {
            differs.Add("Subject");
        }

        if (!string.Equals(answer.Issuer, expected.Issuer, StringComparison.Ordinal))
        {
            differs.Add("Issuer");
        }

        if (!string.Equals(answer.Audience, expected.Recipient, StringComparison.Ordinal))
        {
            differs.Add("Audience");
        }

        return differs.Count == 0
            ? answer.Credentials
            : new Refusal(
                Codes.IssuanceFailed,
                $"STS's answer names another {string.Join(", ", differs)} than the SAML response the session policy was rendered from, so its credentials were dropped: the response holds more than the identity provider signed.");
    }
}
