namespace CredentialVending.Identity;

/// <summary>An authenticated caller: whose token, which subject, which claims.</summary>
public sealed class Caller
{
    public Caller(string tenantId, string issuer, string subject, ClaimSet claims, string rawToken)
    {
        TenantId = tenantId;
        Issuer = issuer;
        Subject = subject;
        Claims = claims;
        RawToken = rawToken;
    }

    public string TenantId { get; }
    public string Issuer { get; }
    public string Subject { get; }
    public ClaimSet Claims { get; }

    /// <summary>What a saml caller's assertion said that STS's answer must repeat; null for a bearer caller.</summary>
    public Saml.SamlFacts? Saml { get; init; }

    /// <summary>
    /// The caller's JWT, for AssumeRoleWithWebIdentity only, or a saml caller's base64 SAML response, for
    /// AssumeRoleWithSAML only: never logged, never stored, never in an answer.
    /// </summary>
    public string RawToken { get; }

    public override string ToString() => $"Caller {{ TenantId = {TenantId}, Issuer = {Issuer}, Subject = {Subject} }}";
}
