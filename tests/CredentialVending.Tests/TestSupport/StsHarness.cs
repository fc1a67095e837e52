using Amazon.Runtime;
using CredentialVending.Issuing;
using CredentialVending.Local.Sts;
using CredentialVending.Tenants;

namespace CredentialVending.Tests.TestSupport;

/// <summary>Two STS emulators, us-east-1 then us-west-2, and an issuer that tries them in that order.</summary>
public sealed class StsHarness : IAsyncDisposable
{
    public const string RoleArn = "arn:aws:iam::123456789012:role/tenant-acme";
    public const string ExternalId = "acme-7f3c";
    public const string AccessKeyId = "AKIAVENDTEST0000001";
    public const string Secret = "vend-test-secret-key-0000000000000000000";

    /// <summary>Short, so the hanging-endpoint case costs a few seconds, not the SDK's default of never.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(400);

    static StsHarness()
    {
        // docs/gotchas.md: the SDK must never probe the instance metadata address from a test.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    private StsHarness(StsEmulator east, StsEmulator west, StsCredentialIssuer issuer)
    {
        East = east;
        West = west;
        Issuer = issuer;
    }

    public StsEmulator East { get; }
    public StsEmulator West { get; }
    public StsCredentialIssuer Issuer { get; }

    public static async Task<StsHarness> StartAsync(IReadOnlyList<WebIdentityTrust>? trusts = null, AWSCredentials? credentials = null, bool anonymous = false)
    {
        var east = await StsEmulator.StartAsync(Options("us-east-1", trusts));
        var west = await StsEmulator.StartAsync(Options("us-west-2", trusts));
        var issuer = new StsCredentialIssuer(
            [new StsEndpoint("us-east-1", east.Endpoint), new StsEndpoint("us-west-2", west.Endpoint)],
            anonymous ? null : credentials ?? new BasicAWSCredentials(AccessKeyId, Secret),
            AttemptTimeout);
        return new StsHarness(east, west, issuer);
    }

    public static IssueRequest AssumeRole(string sessionName = "01JDQ3ZV7W5K8Q4T0N9B2XG6AC", IReadOnlyList<KeyValuePair<string, string>>? tags = null) => new(
        IssuanceMode.AssumeRole,
        RoleArn,
        sessionName,
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::acme-data/acme/alice/*"]}]}""",
        900,
        ExternalId,
        "alice",
        tags ?? [new("tenant", "acme"), new("subject", "alice")],
        null);

    public async ValueTask DisposeAsync()
    {
        Issuer.Dispose();
        await East.DisposeAsync();
        await West.DisposeAsync();
    }

    private static StsEmulatorOptions Options(string region, IReadOnlyList<WebIdentityTrust>? trusts) => new()
    {
        Region = region,
        CallerCredentials = new Dictionary<string, string> { [AccessKeyId] = Secret },
        RequiredExternalIds = new Dictionary<string, string> { [RoleArn] = ExternalId },
        WebIdentityTrusts = trusts ?? [],
    };
}
