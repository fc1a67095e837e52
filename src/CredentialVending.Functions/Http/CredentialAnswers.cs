using CredentialVending.Common;
using System.Text.Json.Serialization;
using CredentialVending.Issuing;
using CredentialVending.Leases;

namespace CredentialVending.Functions.Http;

/// <summary>The <c>format=json</c> answer of docs/api.md's "Credentials".</summary>
public sealed record VendResponse(
    string LeaseId,
    string TenantId,
    string Subject,
    IReadOnlyList<string> Scopes,
    VendResponse.CredentialSet Credentials,
    string AssumedRoleArn,
    string IssuedAt,
    string StsRegion)
{
    public static VendResponse From(Lease lease, IssuedCredentials credentials) => new(
        lease.LeaseId,
        lease.TenantId,
        lease.Subject,
        lease.Scopes,
        new CredentialSet(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, Iso8601.Format(credentials.Expiration)),
        lease.AssumedRoleArn,
        Iso8601.Format(lease.IssuedAt),
        lease.StsRegion);

    public sealed record CredentialSet(string AccessKeyId, string SecretAccessKey, string SessionToken, string Expiration)
    {
        public override string ToString() => $"CredentialSet {{ AccessKeyId = {AccessKeyId} }}";
    }
}

/// <summary>The AWS CLI and SDKs' <c>credential_process</c> output (Version 1).</summary>
public sealed record CredentialProcessOutput(
    [property: JsonPropertyName("Version")] int Version,
    [property: JsonPropertyName("AccessKeyId")] string AccessKeyId,
    [property: JsonPropertyName("SecretAccessKey")] string SecretAccessKey,
    [property: JsonPropertyName("SessionToken")] string SessionToken,
    [property: JsonPropertyName("Expiration")] string Expiration)
{
    public override string ToString() => $"CredentialProcessOutput {{ AccessKeyId = {AccessKeyId} }}";
}

/// <summary>What the SDKs' container credentials provider reads from <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>.</summary>
public sealed record ContainerCredentials(
    [property: JsonPropertyName("AccessKeyId")] string AccessKeyId,
    [property: JsonPropertyName("SecretAccessKey")] string SecretAccessKey,
    [property: JsonPropertyName("Token")] string Token,
    [property: JsonPropertyName("Expiration")] string Expiration,
    [property: JsonPropertyName("RoleArn")] string RoleArn)
{
    public override string ToString() => $"ContainerCredentials {{ AccessKeyId = {AccessKeyId}, RoleArn = {RoleArn} }}";
}
