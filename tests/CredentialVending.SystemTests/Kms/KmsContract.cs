using System.Security.Cryptography;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;

namespace CredentialVending.SystemTests.Kms;

/// <summary>
/// What the brokered mode needs from any KMS, through AWSSDK.KeyManagementService: moto's server and the local cloud's
/// emulator each run these same assertions, so the JSON 1.1 wire format is held to an implementation written by others.
/// Where moto and KMS differ (docs/gotchas.md), the emulator's own tests hold KMS's behaviour.
/// </summary>
public abstract class KmsContract
{
    internal static readonly BasicAWSCredentials Key = new("AKIAKMSCONTRACTTEST1", "kmsContractTestSecretAccessKey0000000000");

    private static readonly byte[] Message = Encoding.ASCII.GetBytes("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhY21lOmFsaWNlIn0");

    private static readonly string[] RsaAlgorithms =
    [
        "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
    ];

    static KmsContract() => Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

    /// <summary>The KMS under test's endpoint.</summary>
    protected abstract Uri Endpoint { get; }

    protected AmazonKeyManagementServiceClient Client() => new(Key, new AmazonKeyManagementServiceConfig
    {
        ServiceURL = Endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
        Timeout = TimeSpan.FromSeconds(20),
    });

    [Fact]
    public async Task A_created_signing_key_is_described_with_its_spec_usage_state_and_algorithms()
    {
        using var kms = Client();

        var created = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY, Description = "broker" })).KeyMetadata;
        var described = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = created.KeyId })).KeyMetadata;

        Assert.Matches("^arn:aws:kms:us-east-1:123456789012:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", created.Arn);
        Assert.EndsWith("/" + created.KeyId, created.Arn, StringComparison.Ordinal);
        foreach (var metadata in new[] { created, described })
        {
            Assert.Equal(created.Arn, metadata.Arn);
            Assert.Equal(("RSA_2048", "SIGN_VERIFY", "Enabled", true, "broker"), (metadata.KeySpec.Value, metadata.KeyUsage.Value, metadata.KeyState.Value, metadata.Enabled, metadata.Description));
            Assert.Equal(RsaAlgorithms.Order(), metadata.SigningAlgorithms.Order());
            Assert.Equal("123456789012", metadata.AWSAccountId);
            Assert.InRange(metadata.CreationDate!.Value, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(10));
        }
    }

    [Fact]
    public async Task A_key_is_found_by_its_id_its_arn_its_alias_and_its_alias_arn()
    {
        using var kms = Client();
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata;
        var alias = "alias/broker-" + Guid.NewGuid().ToString("N")[..8];
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });

        foreach (var name in new[] { key.KeyId, key.Arn, alias, $"arn:aws:kms:us-east-1:123456789012:{alias}" })
        {
            Assert.Equal(key.Arn, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = name })).KeyMetadata.Arn);
        }
    }

    // No PSS row: moto salts PSS with the longest salt, KMS with the digest's length (docs/gotchas.md); KmsEmulatorTests hold PSS.
    [Theory]
    [InlineData("RSASSA_PKCS1_V1_5_SHA_256")]
    [InlineData("RSASSA_PKCS1_V1_5_SHA_384")]
    [InlineData("RSASSA_PKCS1_V1_5_SHA_512")]
    public async Task A_signature_from_sign_verifies_with_the_key_from_get_public_key(string algorithm)
    {
        using var kms = Client();
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata;

        var signed = await kms.SignAsync(new SignRequest { KeyId = key.Arn, Message = new MemoryStream(Message), MessageType = MessageType.RAW, SigningAlgorithm = algorithm });
        var publicKey = await kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = key.KeyId });

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey.PublicKey.ToArray(), out var read);
        Assert.Equal(publicKey.PublicKey.Length, read);
        Assert.Equal(2048, rsa.KeySize);
        var hash = algorithm.EndsWith("512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : algorithm.EndsWith("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        Assert.True(rsa.VerifyData(Message, signed.Signature.ToArray(), hash, RSASignaturePadding.Pkcs1));
        Assert.Equal((key.Arn, algorithm), (signed.KeyId, signed.SigningAlgorithm.Value));
        Assert.Equal("SIGN_VERIFY", publicKey.KeyUsage.Value);
        Assert.Equal(RsaAlgorithms.Order(), publicKey.SigningAlgorithms.Order());
    }

    [Theory]
    [InlineData("alias/nobody-has-this-alias")]
    [InlineData("arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555")]
    [InlineData("11111111-2222-3333-4444-555555555555")]
    [InlineData("not-a-key-id")]
    public async Task A_key_id_that_names_no_key_is_refused_with_not_found(string keyId)
    {
        using var kms = Client();

        var refused = await Assert.ThrowsAsync<NotFoundException>(() => kms.SignAsync(new SignRequest
        {
            KeyId = keyId,
            Message = new MemoryStream(Message),
            SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
        }));

        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Equal("NotFoundException", refused.ErrorCode);
    }
}
