namespace CredentialVending.Identity.Saml;

/// <summary>
/// What the function read of a caller's SAML assertion that STS's answer must repeat (<see cref="NameId"/> as
/// <c>Subject</c>, <see cref="Issuer"/>, <see cref="Recipient"/> as <c>Audience</c>), and what names the session
/// (<see cref="RoleSessionName"/>, chosen by the identity provider) and dates it (<see cref="IssueInstant"/>).
/// </summary>
public sealed record SamlFacts(string NameId, string Issuer, string Recipient, string RoleSessionName, DateTimeOffset IssueInstant);
