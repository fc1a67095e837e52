using System.Security.Cryptography;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using CredentialVending.Local.Kms;
using CredentialVending.Local.Tests.Sts;

namespace CredentialVending.Local.Tests.Kms;

public sealed class KmsEmulatorTests : IAsyncLifetime
{
    private const string Alias = "alias/credential-vending-broker";
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhY21lOmFsaWNlIn0");
    private KmsEmulator _kms = null!;

    static KmsEmulatorTests() => Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

    public async Task InitializeAsync() => _kms = await KmsEmulator.StartAsync(new KmsEmulatorOptions
    {
        CallerCredentials = new Dictionary<string, string> { [StsTestKit.CallerKey] = StsTestKit.CallerSecret },
        SigningKeyAliases = [Alias],
    });

    public async Task DisposeAsync() => await _kms.DisposeAsync();

    [Theory]
    [InlineData("RSASSA_PKCS1_V1_5_SHA_256")]
    [InlineData("RSASSA_PKCS1_V1_5_SHA_384")]
    [InlineData("RSASSA_PKCS1_V1_5_SHA_512")]
    [InlineData("RSASSA_PSS_SHA_256")]
    [InlineData("RSASSA_PSS_SHA_384")]
    [InlineData("RSASSA_PSS_SHA_512")]
    public async Task A_raw_message_signed_by_the_alias_s_key_verifies_with_its_public_key(string algorithm)
    {
        using var client = Client();

        var signed = await client.SignAsync(new SignRequest { KeyId = Alias, Message = new MemoryStream(Message), MessageType = MessageType.RAW, SigningAlgorithm = algorithm });

        using var rsa = await PublicKeyAsync(client, Alias);
        var (hash, padding) = Scheme(algorithm);
        Assert.True(rsa.VerifyData(Message, signed.Signature.ToArray(), hash, padding));
        Assert.Equal(algorithm, signed.SigningAlgorithm.Value);
        Assert.Matches("^arn:aws:kms:us-east-1:123456789012:key/[0-9a-f-]{36}$", signed.KeyId);
    }

    [Fact]
    public async Task A_digest_is_signed_as_the_hash_it_is()
    {
        using var client = Client();
        var digest = SHA256.HashData(Message);

        var signed = await client.SignAsync(new SignRequest { KeyId = Alias, Message = new MemoryStream(digest), MessageType = MessageType.DIGEST, SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256 });

        using var rsa = await PublicKeyAsync(client, Alias);
        Assert.True(rsa.VerifyData(Message, signed.Signature.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task The_key_is_found_by_its_id_its_arn_and_its_alias_and_described_as_kms_describes_it()
    {
        using var client = Client();
        var byAlias = (await client.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Alias })).KeyMetadata;

        var byId = (await client.DescribeKeyAsync(new DescribeKeyRequest { KeyId = byAlias.KeyId })).KeyMetadata;
        var byArn = await client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = byAlias.Arn });

        Assert.Equal(byAlias.Arn, byId.Arn);
        Assert.Equal(byAlias.Arn, byArn.KeyId);
        Assert.Equal(("RSA_2048", "SIGN_VERIFY", "Enabled", true), (byId.KeySpec.ToString(), byId.KeyUsage.ToString(), byId.KeyState.ToString(), byId.Enabled));
        Assert.Equal("123456789012", byId.AWSAccountId);
        Assert.Contains("RSASSA_PKCS1_V1_5_SHA_256", byArn.SigningAlgorithms);
        Assert.Equal(6, byArn.SigningAlgorithms.Count);
        Assert.True(byId.CreationDate > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Keys_made_with_create_key_sign_and_a_symmetric_key_refuses_to_sign()
    {
        using var client = Client();
        var signing = (await client.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_3072, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata;
        var symmetric = (await client.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;

        var signed = await client.SignAsync(Sign(signing.KeyId));
        var refused = await Assert.ThrowsAsync<InvalidKeyUsageException>(() => client.SignAsync(Sign(symmetric.KeyId)));

        using var rsa = await PublicKeyAsync(client, signing.Arn);
        Assert.Equal(3072, rsa.KeySize);
        Assert.True(rsa.VerifyData(Message, signed.Signature.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Equal("ENCRYPT_DECRYPT", symmetric.KeyUsage.Value);
    }

    [Fact]
    public async Task A_disabled_key_refuses_to_sign_until_enabled_and_one_pending_deletion_is_in_an_invalid_state()
    {
        using var client = Client();
        var arn = _kms.CreateSigningKey();

        await client.DisableKeyAsync(new DisableKeyRequest { KeyId = arn });
        var disabled = await Assert.ThrowsAsync<DisabledException>(() => client.SignAsync(Sign(arn)));
        await client.EnableKeyAsync(new EnableKeyRequest { KeyId = arn });
        await client.SignAsync(Sign(arn));
        await client.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = arn, PendingWindowInDays = 7 });
        var pending = await Assert.ThrowsAsync<KMSInvalidStateException>(() => client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = arn }));

        Assert.Equal($"{arn} is disabled.", disabled.Message);
        Assert.Equal($"{arn} is pending deletion.", pending.Message);
        Assert.Equal("PendingDeletion", (await client.DescribeKeyAsync(new DescribeKeyRequest { KeyId = arn })).KeyMetadata.KeyState.Value);
    }

    [Theory]
    [InlineData("alias/nobody", "NotFoundException")]
    [InlineData("arn:aws:kms:us-east-1:123456789012:alias/nobody", "NotFoundException")]
    [InlineData("arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111", "NotFoundException")]
    [InlineData("11111111-1111-1111-1111-111111111111", "NotFoundException")]
    [InlineData("not-a-key", "NotFoundException")]
    [InlineData("", "ValidationException")]
    public async Task A_key_id_that_names_no_key_is_refused_as_kms_refuses_it(string keyId, string code)
    {
        using var client = Client();

        var refused = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => client.SignAsync(Sign(keyId)));

        Assert.Equal(code, refused.ErrorCode);
        Assert.Equal(400, (int)refused.StatusCode);
    }

    [Theory]
    [InlineData(0, "RAW", "RSASSA_PKCS1_V1_5_SHA_256", "ValidationException")]
    [InlineData(4097, "RAW", "RSASSA_PKCS1_V1_5_SHA_256", "ValidationException")]
    [InlineData(4096, "RAW", "RSASSA_PKCS1_V1_5_SHA_256", null)]
    [InlineData(31, "DIGEST", "RSASSA_PKCS1_V1_5_SHA_256", "ValidationException")]
    [InlineData(48, "DIGEST", "RSASSA_PSS_SHA_384", null)]
    [InlineData(32, "RAW", "ECDSA_SHA_256", "InvalidKeyUsageException")]
    [InlineData(32, "RAW", "HS256", "ValidationException")]
    public async Task Sign_checks_the_message_s_length_its_type_and_the_algorithm(int length, string type, string algorithm, string? code)
    {
        using var client = Client();
        var request = new SignRequest { KeyId = Alias, Message = new MemoryStream(new byte[length]), MessageType = type, SigningAlgorithm = algorithm };

        var error = await Record.ExceptionAsync(() => client.SignAsync(request));

        Assert.Equal(code, (error as AmazonKeyManagementServiceException)?.ErrorCode);
    }

    [Fact]
    public async Task Errors_are_json_with_the_type_and_message_kms_gives()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _kms.Endpoint) { Content = new StringContent("""{"KeyId":"alias/x"}""", Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Headers.Add("X-Amz-Target", "TrentService.Sign");

        using var answer = await http.SendAsync(request);

        Assert.Equal(400, (int)answer.StatusCode);
        Assert.Equal("application/x-amz-json-1.1", answer.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"__type":"MissingAuthenticationTokenException","message":"Request is missing Authentication Token"}""", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_secret_or_an_unknown_key_is_refused()
    {
        using var wrongSecret = Client(new BasicAWSCredentials(StsTestKit.CallerKey, StsTestKit.CallerSecret[..^1] + "x"));
        using var unknownKey = Client(new BasicAWSCredentials("AKIAUNKNOWNKEY000000", StsTestKit.CallerSecret));

        var invalid = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => wrongSecret.SignAsync(Sign(Alias)));
        var unknown = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => unknownKey.SignAsync(Sign(Alias)));

        Assert.Equal("InvalidSignatureException", invalid.ErrorCode);
        Assert.Equal("UnrecognizedClientException", unknown.ErrorCode);
        Assert.All(_kms.Calls, c => Assert.Equal(400, c.StatusCode));
    }

    [Fact]
    public async Task A_session_token_travels_signed_and_is_accepted()
    {
        using var client = Client(new SessionAWSCredentials(StsTestKit.CallerKey, StsTestKit.CallerSecret, "FQoGZXIvYXdzEXAMPLE+/=token"));

        var signed = await client.SignAsync(Sign(Alias));

        Assert.NotEmpty(signed.Signature.ToArray());
    }

    internal static SignRequest Sign(string keyId) => new()
    {
        KeyId = keyId,
        Message = new MemoryStream(Message),
        MessageType = MessageType.RAW,
        SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
    };

    internal AmazonKeyManagementServiceClient Client(AWSCredentials? credentials = null, TimeSpan? timeout = null) =>
        new(credentials ?? new BasicAWSCredentials(StsTestKit.CallerKey, StsTestKit.CallerSecret), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = _kms.Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        });

    private static async Task<RSA> PublicKeyAsync(AmazonKeyManagementServiceClient client, string keyId)
    {
        var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo((await client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId })).PublicKey.ToArray(), out _);
        return rsa;
    }

    private static (HashAlgorithmName, RSASignaturePadding) Scheme(string algorithm) => (
        algorithm[^3..] switch { "384" => HashAlgorithmName.SHA384, "512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 },
        algorithm.Contains("PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
}
