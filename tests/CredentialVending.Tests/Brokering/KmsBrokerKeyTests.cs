using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.Runtime;
using CredentialVending.Brokering;
using CredentialVending.Common;
using CredentialVending.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CredentialVending.Tests.Brokering;

/// <summary>
/// The real KMS client against a KMS of the test's own on loopback (JSON 1.1): what it sends, and every way KMS failing
/// becomes a 503 with a Retry-After inside the budget, never an exception the host would answer 500.
/// </summary>
public sealed class KmsBrokerKeyTests : IAsyncDisposable
{
    // Roomy, since the SDK's first call in a test process is slow; the hanging case has its own short budget.
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan ShortBudget = TimeSpan.FromMilliseconds(900);
    private readonly RSA _rsa = RSA.Create(2048);
    private WebApplication? _app;

    static KmsBrokerKeyTests() => Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

    public static TheoryData<int, string, int> Failures => new()
    {
        { 400, "DisabledException", 2 },
        { 400, "AccessDeniedException", 2 },
        { 400, "NotFoundException", 2 },
        { 400, "KMSInvalidStateException", 2 },
        { 400, "ThrottlingException", 5 },
        { 500, "KMSInternalException", 2 },
        { 503, "ServiceUnavailableException", 2 },
    };

    [Fact]
    public async Task Sign_sends_kms_the_sha256_digest_with_rsassa_pkcs1_v1_5_and_answers_its_signature()
    {
        string? body = null;
        var key = await KeyAsync(async context =>
        {
            body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var digest = Convert.FromBase64String(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("Message").GetString()!);
            var signature = _rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            await context.Response.WriteAsync($$"""{"KeyId":"k","Signature":"{{Convert.ToBase64String(signature)}}","SigningAlgorithm":"RSASSA_PKCS1_V1_5_SHA_256"}""");
        });
        var digest = SHA256.HashData("header.payload"u8);

        var signature = await key.SignDigestAsync(digest, CancellationToken.None);

        Assert.True(_rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Contains("\"MessageType\":\"DIGEST\"", body, StringComparison.Ordinal);
        Assert.Contains("\"SigningAlgorithm\":\"RSASSA_PKCS1_V1_5_SHA_256\"", body, StringComparison.Ordinal);
        Assert.Contains("\"KeyId\":\"alias/credvend\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Kms_refusing_or_failing_is_unavailable_with_a_retry_after_and_only_its_code_in_the_message(int status, string code, int retryAfter)
    {
        var key = await KeyAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers["x-amzn-ErrorType"] = code;
            await context.Response.WriteAsync($$"""{"__type":"{{code}}","message":"arn:aws:kms:us-east-1:111122223333:key/secret-detail"}""");
        });

        var failed = await Assert.ThrowsAsync<DependencyUnavailableException>(() => key.SignDigestAsync(new byte[32], CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(retryAfter), failed.RetryAfter);
        Assert.Contains(code, failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("111122223333", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sign", "{\"KeyId\":\"k\",\"Signature\":\"c2ln")]
    [InlineData("Sign", "{\"KeyId\":\"k\",\"SigningAlgorithm\":\"RSASSA_PKCS1_V1_5_SHA_256\"}")]
    [InlineData("Sign", "{\"KeyId\":\"k\",\"Signature\":\"not*base64!\"}")]
    [InlineData("Sign", "{\"KeyId\":\"k\",\"Signature\":\"\"}")]
    [InlineData("Sign", "<html><body>Captive portal</body></html>")]
    [InlineData("Sign", "[]")]
    [InlineData("GetPublicKey", "{\"KeyId\":\"k\",\"PublicKey\":")]
    [InlineData("GetPublicKey", "{\"KeyId\":\"k\",\"KeySpec\":\"RSA_2048\"}")]
    [InlineData("GetPublicKey", "{\"KeyId\":\"k\",\"PublicKey\":\"not*base64!\"}")]
    [InlineData("GetPublicKey", "{\"KeyId\":\"k\",\"PublicKey\":7}")]
    public async Task A_200_answer_without_a_readable_blob_is_unavailable(string action, string body)
    {
        var key = await KeyAsync(context => context.Response.WriteAsync(body));

        var failed = await Assert.ThrowsAsync<DependencyUnavailableException>(() => action == "Sign"
            ? key.SignDigestAsync(new byte[32], CancellationToken.None)
            : key.GetPublicKeyAsync(CancellationToken.None));

        Assert.Contains("so no STS call was made", failed.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(2), failed.RetryAfter);
    }

    [Fact]
    public async Task An_unreachable_kms_is_unavailable()
    {
        using var key = new KmsBrokerKey("alias/credvend", new Uri($"http://127.0.0.1:{LoopbackWebApp.FreePort()}"), Credentials, Attempt, Budget);

        var failed = await Assert.ThrowsAsync<DependencyUnavailableException>(() => key.GetPublicKeyAsync(CancellationToken.None));

        Assert.Contains("KMS could not read the brokered tokens' public key", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kms_that_never_answers_is_unavailable_within_the_budget()
    {
        var key = await KeyAsync(async context => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted), ShortBudget);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => key.SignDigestAsync(new byte[32], CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, ShortBudget + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Get_public_key_answers_the_der_subject_public_key_info()
    {
        var der = _rsa.ExportSubjectPublicKeyInfo();
        var key = await KeyAsync(context => context.Response.WriteAsync(
            $$"""{"KeyId":"k","KeySpec":"RSA_2048","KeyUsage":"SIGN_VERIFY","PublicKey":"{{Convert.ToBase64String(der)}}","SigningAlgorithms":["RSASSA_PKCS1_V1_5_SHA_256"]}"""));

        Assert.Equal(der, await key.GetPublicKeyAsync(CancellationToken.None));
    }

    public async ValueTask DisposeAsync()
    {
        _rsa.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static BasicAWSCredentials Credentials => new("AKIAKMSTEST000000001", "kms-test-secret-key-00000000000000000000");

    private async Task<KmsBrokerKey> KeyAsync(RequestDelegate answer, TimeSpan? budget = null)
    {
        _app = LoopbackWebApp.CreateBuilder().Build();
        _app.Run(answer);
        var url = await LoopbackWebApp.StartAsync(_app);
        return new KmsBrokerKey("alias/credvend", url, Credentials, budget is null ? Attempt : budget.Value / 2, budget ?? Budget);
    }
}
