namespace CredentialVending.Brokering;

/// <summary>
/// The key that signs the brokered tokens: KMS in a deployment, an RSA key of the test's own in unit tests. Both throw
/// <see cref="Common.DependencyUnavailableException"/> when the key cannot be used, so a vend answers 503 before any STS call.
/// </summary>
public interface IBrokerKey
{
    /// <summary>The RSASSA-PKCS1-v1_5 signature of a SHA-256 <paramref name="digest"/>.</summary>
    Task<byte[]> SignDigestAsync(byte[] digest, CancellationToken ct);

    /// <summary>The public key as a DER SubjectPublicKeyInfo, as <c>kms:GetPublicKey</c> answers it.</summary>
    Task<byte[]> GetPublicKeyAsync(CancellationToken ct);
}
