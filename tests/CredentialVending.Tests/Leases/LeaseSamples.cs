using CredentialVending.Leases;

namespace CredentialVending.Tests.Leases;

/// <summary>Leases as the vend path records them, with every field set, for the ledger's tests.</summary>
internal static class LeaseSamples
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A lease issued <paramref name="minutesAfterStart"/> minutes after <see cref="Start"/>, its id of that time.</summary>
    public static Lease Issued(string tenantId, int minutesAfterStart = 0, string subject = "alice", string accessKeyId = "ASIAEXAMPLE000000001")
    {
        var issuedAt = Start.AddMinutes(minutesAfterStart);
        var leaseId = Ulid.New(issuedAt);
        return new Lease
        {
            LeaseId = leaseId,
            TenantId = tenantId,
            Subject = subject,
            Issuer = "https://issuer.example.com",
            Scopes = ["files:read", "files:write"],
            Mode = "assumeRole",
            RoleArn = "arn:aws:iam::123456789012:role/tenant-acme",
            AssumedRoleArn = $"arn:aws:sts::123456789012:assumed-role/tenant-acme/{leaseId}",
            AccessKeyId = accessKeyId,
            IssuedAt = issuedAt,
            ExpiresAt = issuedAt.AddMinutes(15),
            DurationSeconds = 900,
            StsRegion = "us-east-1",
            PolicySha256 = new string('a', 64),
            PackedPolicySize = 12,
            SourceIp = "203.0.113.7",
            UserAgent = "aws-cli/2.0",
            RequestId = "req-1",
        };
    }
}
