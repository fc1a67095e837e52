using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using CredentialVending.Common;

namespace CredentialVending.Brokering;

/// <summary>
/// <c>BROKER_KMS_KEY_ID</c> through <c>kms:Sign</c> and <c>kms:GetPublicKey</c>. Each call has one attempt timeout and the
/// SDK's standard retries, all within a budget short enough that STS still has its own after it (docs/api.md,
/// "Brokered tenants"): KMS failing in any way (unreachable, slow, throttled, the key disabled or refused) is a 503.
/// </summary>
public sealed class KmsBrokerKey : IBrokerKey, IDisposable
{
    private readonly AmazonKeyManagementServiceClient _kms;
    private readonly string _keyId;
    private readonly TimeSpan _budget;

    /// <param name="endpoint"><c>AWS_ENDPOINT_URL_KMS</c>, or null for the region's.</param>
    /// <param name="credentials">The function's own credentials; null for the SDK's default chain (Lambda's role).</param>
    public KmsBrokerKey(string keyId, Uri? endpoint, AWSCredentials? credentials, TimeSpan attemptTimeout, TimeSpan budget)
    {
        _keyId = keyId;
        _budget = budget;
        var config = new AmazonKeyManagementServiceConfig
        {
            // As for STS: standard retries, and a timeout of our own since the SDK has none.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 2,
            Timeout = attemptTimeout,
            ConnectTimeout = attemptTimeout,
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
        }

        _kms = credentials is null ? new AmazonKeyManagementServiceClient(config) : new AmazonKeyManagementServiceClient(credentials, config);
    }

    public Task<byte[]> SignDigestAsync(byte[] digest, CancellationToken ct) => CallAsync(
        async token =>
        {
            // DIGEST, with our own SHA-256: RAW caps the message at 4096 bytes, which a token with many long tags exceeds.
            var answer = await _kms.SignAsync(
                new SignRequest
                {
                    KeyId = _keyId,
                    Message = new MemoryStream(digest),
                    MessageType = MessageType.DIGEST,
                    SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
                },
                token).ConfigureAwait(false);
            return answer.Signature?.ToArray() is { Length: > 0 } signature
                ? signature
                : throw new InvalidDataException("KMS answered Sign without a signature.");
        },
        "sign the brokered token",
        ct);

    public Task<byte[]> GetPublicKeyAsync(CancellationToken ct) => CallAsync(
        async token =>
        {
            var answer = await _kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = _keyId }, token).ConfigureAwait(false);
            return answer.PublicKey?.ToArray() is { Length: > 0 } key
                ? key
                : throw new InvalidDataException("KMS answered GetPublicKey without a key.");
        },
        "read the brokered tokens' public key",
        ct);

    public void Dispose() => _kms.Dispose();

    private async Task<byte[]> CallAsync(Func<CancellationToken, Task<byte[]>> call, string what, CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(_budget);
        try
        {
            return await call(budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is AmazonServiceException or AmazonClientException or HttpRequestException
            or IOException or TimeoutException or OperationCanceledException or InvalidDataException or FormatException)
        {
            // InvalidDataException: KMS answered 200 without its blob; FormatException: a blob that is no base64, should the
            // SDK let it through unwrapped. Either is KMS answering what nobody can read.
            throw BrokerFailures.Unavailable(e, what);
        }
    }
}
