using CredentialVending.Identity.Saml;
using CredentialVending.Scoping;
using CredentialVending.Tenants;

namespace CredentialVending.Issuing;

/// <summary>
/// What to ask STS for. <see cref="WebIdentityToken"/> is the caller's JWT (webIdentity mode) or the service's own
/// (brokered mode); in saml mode the caller's response is <see cref="SamlAssertion"/>, and STS's answer must repeat
/// <see cref="SamlExpected"/>.
/// </summary>
public sealed record IssueRequest(
    IssuanceMode Mode,
    string RoleArn,
    string SessionName,
    string PolicyJson,
    int DurationSeconds,
    string? ExternalId,
    string? SourceIdentity,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    string? WebIdentityToken)
{
    /// <summary>The IAM SAML provider's ARN, STS's <c>PrincipalArn</c> (saml mode only).</summary>
    public string? PrincipalArn { get; init; }

    /// <summary>The caller's base64 SAML response (saml mode only): never logged, never stored.</summary>
    public string? SamlAssertion { get; init; }

    /// <summary>What the function read of the assertion and rendered the policy from (saml mode only).</summary>
    public SamlFacts? SamlExpected { get; init; }

    public override string ToString() => $"IssueRequest {{ Mode = {Mode}, RoleArn = {RoleArn}, SessionName = {SessionName}, DurationSeconds = {DurationSeconds} }}";

    /// <summary>
    /// docs/api.md "SAML tenants": AssumeRoleWithSAML takes no session name (the assertion's RoleSessionName is), no
    /// external id, no source identity and no tags (the assertion's); only the role, the provider, the policy and the duration.
    /// </summary>
    public static IssueRequest ForSaml(TenantDocument tenant, RenderedSession session, int durationSeconds, string samlResponse, SamlFacts facts)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(facts);
        return new IssueRequest(IssuanceMode.Saml, tenant.Issuance.RoleArn, facts.RoleSessionName, session.PolicyJson, durationSeconds, null, null, [], null)
        {
            PrincipalArn = tenant.Identity.Saml?.ProviderArn,
            SamlAssertion = samlResponse,
            SamlExpected = facts,
        };
    }

    /// <summary>
    /// docs/api.md "Credentials" step 7, what a vend asks STS for: in assumeRole mode the external id, the subject as
    /// <c>SourceIdentity</c> when it fits STS's pattern (it is optional, so it is left out otherwise) and the session tags;
    /// in webIdentity mode none of these (they come from the token) and the caller's token instead; in brokered mode none
    /// of these either, and the token the service minted with them (<paramref name="callerToken"/> is then that token).
    /// </summary>
    public static IssueRequest ForVend(IssuanceSettings issuance, string leaseId, RenderedSession session, int durationSeconds, string subject, string? callerToken)
    {
        ArgumentNullException.ThrowIfNull(issuance);
        ArgumentNullException.ThrowIfNull(session);
        var assumeRole = issuance.Mode == IssuanceMode.AssumeRole;
        return new IssueRequest(
            issuance.Mode,
            issuance.RoleArn,
            leaseId,
            session.PolicyJson,
            durationSeconds,
            assumeRole ? issuance.ExternalId : null,
            assumeRole && StsInputs.FitsSessionName(subject) ? subject : null,
            assumeRole ? session.Tags : [],
            assumeRole ? null : callerToken);
    }
}

/// <summary>Credentials as STS issued them. The secret and the token leave only in the answer to the caller.</summary>
public sealed record IssuedCredentials(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    DateTimeOffset Expiration,
    string AssumedRoleArn,
    int? PackedPolicySize,
    string Region)
{
    public override string ToString() => $"IssuedCredentials {{ AccessKeyId = {AccessKeyId}, AssumedRoleArn = {AssumedRoleArn}, Region = {Region} }}";
}
