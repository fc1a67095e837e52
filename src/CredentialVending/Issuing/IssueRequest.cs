using CredentialVending.Tenants;

namespace CredentialVending.Issuing;

/// <summary>What to ask STS for. <see cref="WebIdentityToken"/> is the caller's JWT (webIdentity mode only).</summary>
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
    public override string ToString() => $"IssueRequest {{ Mode = {Mode}, RoleArn = {RoleArn}, SessionName = {SessionName}, DurationSeconds = {DurationSeconds} }}";
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
