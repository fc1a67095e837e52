using System.Security.Cryptography;

namespace CredentialVending.Local.Kms;

/// <summary>KMS's RSA signing algorithms: the hash and padding each names, and <c>Sign</c>'s checks of the message.</summary>
internal static class KmsSigning
{
    public const int MaxMessageBytes = 4096;

    public static readonly string[] RsaAlgorithms =
    [
        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
        "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
    ];

    // Every algorithm KMS knows, for the enum check that comes before the key's own list.
    private static readonly string[] AllAlgorithms =
    [
        .. RsaAlgorithms, "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA", "ML_DSA_SHAKE_256",
    ];

    /// <summary>The signature, or the error KMS answers for that message, type and algorithm on that key.</summary>
    public static (byte[]? Signature, KmsError? Error) Sign(KmsKey key, byte[] message, string messageType, string algorithm)
    {
        if (!AllAlgorithms.Contains(algorithm))
        {
            return (null, KmsError.NotInEnum("signingAlgorithm", algorithm, AllAlgorithms));
        }

        if (messageType is not ("RAW" or "DIGEST"))
        {
            return (null, KmsError.NotInEnum("messageType", messageType, ["RAW", "DIGEST", "EXTERNAL_MU"]));
        }

        if (key.KeyUsage != "SIGN_VERIFY" || key.Rsa is null)
        {
            return (null, KmsError.InvalidKeyUsage($"{key.Arn} key usage is {key.KeyUsage} which is not valid for Sign."));
        }

        if (!key.SigningAlgorithms.Contains(algorithm))
        {
            return (null, KmsError.InvalidKeyUsage($"Algorithm {algorithm} is incompatible with key spec {key.KeySpec}."));
        }

        var hash = HashOf(algorithm);
        if (messageType == "DIGEST" && message.Length != HashBytes(hash))
        {
            return (null, KmsError.Validation($"Digest is invalid length for algorithm {algorithm}."));
        }

        var padding = algorithm.StartsWith("RSASSA_PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        var signature = messageType == "DIGEST" ? key.Rsa.SignHash(message, hash, padding) : key.Rsa.SignData(message, hash, padding);
        return (signature, null);
    }

    private static HashAlgorithmName HashOf(string algorithm) => algorithm[^3..] switch
    {
        "384" => HashAlgorithmName.SHA384,
        "512" => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    private static int HashBytes(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA512 ? 64 : hash == HashAlgorithmName.SHA384 ? 48 : 32;
}
