using System.Security.Cryptography;
using CredentialVending.Brokering;
using CredentialVending.Common;

namespace CredentialVending.Tests.TestSupport;

/// <summary>KMS as the broker sees it, with a real RSA key of the test's own: counts its calls, and fails when told to.</summary>
public sealed class RsaBrokerKey : IBrokerKey, IDisposable
{
    /// <summary>The key; setting another stands for a key rotated under the same alias.</summary>
    public RSA Rsa { get; set; } = RSA.Create(2048);
    public int Signs { get; private set; }
    public int PublicKeyReads { get; private set; }

    /// <summary>Thrown by the next calls, as KmsBrokerKey throws when KMS cannot be used.</summary>
    public DependencyUnavailableException? Failure { get; set; }

    /// <summary>When set, what Sign answers instead of the key's signature (KMS answering a wrong one).</summary>
    public byte[]? Signature { get; set; }

    /// <summary>When set, what GetPublicKey answers instead of the key's SubjectPublicKeyInfo.</summary>
    public byte[]? PublicKey { get; set; }

    public Task<byte[]> SignDigestAsync(byte[] digest, CancellationToken ct)
    {
        Signs++;
        return Failure is { } failure
            ? Task.FromException<byte[]>(failure)
            : Task.FromResult(Signature ?? Rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public Task<byte[]> GetPublicKeyAsync(CancellationToken ct)
    {
        PublicKeyReads++;
        return Failure is { } failure ? Task.FromException<byte[]>(failure) : Task.FromResult(PublicKey ?? Rsa.ExportSubjectPublicKeyInfo());
    }

    public void Dispose() => Rsa.Dispose();
}
