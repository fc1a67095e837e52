using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using CredentialVending.Local.Kms;

namespace CredentialVending.Local.Tests.Kms;

/// <summary>Each garbled answer as AWSSDK.KeyManagementService reads it, applied to its own action only, and gone once cleared.</summary>
public sealed class KmsGarbleTests : IAsyncLifetime
{
    private KmsEmulator _kms = null!;
    private string _key = null!;

    static KmsGarbleTests() => Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

    public async Task InitializeAsync() => (_kms, _key) = await KmsFaultTests.StartAsync();

    public async Task DisposeAsync() => await _kms.DisposeAsync();

    [Theory]
    [InlineData(KmsGarbleKind.NoBlob, 0)]
    [InlineData(KmsGarbleKind.ShortSignature, 128)]
    [InlineData(KmsGarbleKind.ForeignSignature, 256)]
    public async Task A_garbled_sign_answers_a_signature_that_does_not_verify_and_public_keys_stay_true(KmsGarbleKind kind, int length)
    {
        using var client = Client();
        var digest = SHA256.HashData("signing input"u8);
        _kms.Garble = new KmsGarble("Sign", kind);

        var signed = await client.SignAsync(Sign(digest));
        var publicKey = await client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = _key });

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey.PublicKey.ToArray(), out _);
        var signature = signed.Signature?.ToArray() ?? [];
        Assert.Equal(length, signature.Length);
        Assert.False(signature.Length > 0 && rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Theory]
    [InlineData(KmsGarbleKind.EcKey, "ECDsa")]
    [InlineData(KmsGarbleKind.SmallRsaKey, "RSA 1024")]
    [InlineData(KmsGarbleKind.NotSubjectPublicKeyInfo, "neither")]
    public async Task A_garbled_public_key_is_not_the_keys_rsa_2048(KmsGarbleKind kind, string expected)
    {
        using var client = Client();
        _kms.Garble = new KmsGarble("GetPublicKey", kind);

        var der = (await client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = _key })).PublicKey.ToArray();

        Assert.Equal(expected, Kind(der));
    }

    [Theory]
    [InlineData("Sign")]
    [InlineData("GetPublicKey")]
    public async Task An_answer_cut_in_half_is_no_json_the_sdk_can_read_and_once_cleared_the_action_answers_truly(string action)
    {
        using var client = Client();
        _kms.Garble = new KmsGarble(action, KmsGarbleKind.NotJson);

        var failed = await Record.ExceptionAsync(() => action == "Sign" ? client.SignAsync(Sign(new byte[32])) : client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = _key }));
        _kms.Garble = null;
        var der = (await client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = _key })).PublicKey.ToArray();

        Assert.NotNull(failed);
        Assert.Equal("RSA 2048", Kind(der));
        Assert.All(_kms.Calls, c => Assert.Equal(200, c.StatusCode));
    }

    private static string Kind(byte[] der)
    {
        using var rsa = RSA.Create();
        using var ec = ECDsa.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(der, out _);
            return $"RSA {rsa.KeySize}";
        }
        catch (CryptographicException)
        {
            try
            {
                ec.ImportSubjectPublicKeyInfo(der, out _);
                return "ECDsa";
            }
            catch (CryptographicException)
            {
                return "neither";
            }
        }
    }

    private SignRequest Sign(byte[] digest) => new()
    {
        KeyId = _key,
        Message = new MemoryStream(digest),
        MessageType = MessageType.DIGEST,
        SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
    };

    private AmazonKeyManagementServiceClient Client() => KmsFaultTests.Client(_kms);
}
