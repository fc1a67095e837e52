using System.Security.Cryptography;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Kms;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Local;

/// <summary>The brokered mode's parts of the local cloud, as the vend function finds them through its variables.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class BrokeredCloudTests(LocalCloud cloud)
{
    [Fact]
    public void The_functions_are_given_the_signing_key_the_api_s_url_as_issuer_and_the_audience()
    {
        var env = cloud.FunctionEnvironment();

        Assert.Equal(cloud.Host.BrokerKeyArn, env["BROKER_KMS_KEY_ID"]);
        Assert.Matches("^arn:aws:kms:us-east-1:123456789012:key/[0-9a-f-]{36}$", env["BROKER_KMS_KEY_ID"]);
        Assert.Equal(cloud.ApiUrl.GetLeftPart(UriPartial.Authority), env["BROKER_ISSUER"]);
        Assert.Equal("credential-vending", env["BROKER_AUDIENCE"]);
        Assert.Equal(cloud.Kms.Endpoint.ToString(), env["AWS_ENDPOINT_URL_KMS"]);
        Assert.NotEqual(env["BROKER_ISSUER"], cloud.Issuer.Issuer);
    }

    [Fact]
    public async Task The_function_s_own_credentials_sign_with_the_key_at_the_kms_endpoint_it_is_given()
    {
        var env = cloud.FunctionEnvironment();
        using var kms = new AmazonKeyManagementServiceClient(new BasicAWSCredentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]),
            new AmazonKeyManagementServiceConfig { ServiceURL = env["AWS_ENDPOINT_URL_KMS"], AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var message = Encoding.ASCII.GetBytes("header.payload");

        var signed = await kms.SignAsync(new SignRequest { KeyId = env["BROKER_KMS_KEY_ID"], Message = new MemoryStream(message), SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256 });
        var described = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = LocalCloudHost.BrokerKeyAlias });

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo((await kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = env["BROKER_KMS_KEY_ID"] })).PublicKey.ToArray(), out _);
        Assert.True(rsa.VerifyData(message, signed.Signature.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(env["BROKER_KMS_KEY_ID"], described.KeyMetadata.Arn);
    }

    [Fact]
    public async Task A_kms_fault_switched_on_by_a_test_reaches_the_function_s_key_and_switches_off()
    {
        var env = cloud.FunctionEnvironment();
        using var kms = new AmazonKeyManagementServiceClient(new BasicAWSCredentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]),
            new AmazonKeyManagementServiceConfig { ServiceURL = env["AWS_ENDPOINT_URL_KMS"], AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var request = () => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = env["BROKER_KMS_KEY_ID"] });

        cloud.Kms.SetKeyState(env["BROKER_KMS_KEY_ID"], KmsKeyState.Disabled);
        var disabled = await request();
        cloud.Kms.SetKeyState(env["BROKER_KMS_KEY_ID"], KmsKeyState.Enabled);
        var enabled = await request();

        Assert.Equal(("Disabled", "Enabled"), (disabled.KeyMetadata.KeyState.Value, enabled.KeyMetadata.KeyState.Value));
    }
}
