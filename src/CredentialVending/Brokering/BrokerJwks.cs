using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CredentialVending.Brokering;

/// <summary>The JWK of the signing key, built from the DER SubjectPublicKeyInfo that <c>kms:GetPublicKey</c> answers.</summary>
public static class BrokerJwks
{
    public const string Algorithm = "RS256";

    public const int MinimumKeyBits = 2048;

    /// <summary>
    /// The JWK, with <c>kid</c> the RFC 7638 thumbprint of the key: a rotated key gets a new kid, so a verifier holding
    /// the old JWKS refetches instead of failing on the old key.
    /// </summary>
    public static BrokerJwk FromSubjectPublicKeyInfo(byte[] der)
    {
        using var rsa = Read(der);
        return Jwk(rsa);
    }

    /// <summary>
    /// The public key, kept for the instance's life to check what KMS signs before STS sees it: importing it again for
    /// each check costs about a millisecond, the check itself about 60 microseconds (docs/decisions.md).
    /// </summary>
    internal static RSA Read(byte[] der)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(der, out _);
        }
        catch (CryptographicException failure)
        {
            rsa.Dispose();
            throw new InvalidDataException("The signing key's public key is not an RSA SubjectPublicKeyInfo.", failure);
        }

        // KMS's RSA keys are 2048 bits or more; a smaller one is not the key BROKER_KMS_KEY_ID should name.
        if (rsa.KeySize < MinimumKeyBits)
        {
            var bits = rsa.KeySize;
            rsa.Dispose();
            throw new InvalidDataException($"The signing key is RSA {bits}; at least {MinimumKeyBits} bits are taken.");
        }

        return rsa;
    }

    /// <summary>The key's JWK, as <see cref="FromSubjectPublicKeyInfo"/> answers it.</summary>
    internal static BrokerJwk Jwk(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var n = Base64Url.EncodeToString(parameters.Modulus!);
        var e = Base64Url.EncodeToString(parameters.Exponent!);

        // RFC 7638 section 3.2: the required members only, in lexicographic order, with no whitespace.
        var canonical = $$"""{"e":"{{e}}","kty":"RSA","n":"{{n}}"}""";
        var kid = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return new BrokerJwk("RSA", n, e, kid, "sig", Algorithm);
    }

    /// <summary>Whether <paramref name="signature"/> is the key's RS256 signature of <paramref name="digest"/>.</summary>
    internal static bool Verifies(RSA key, byte[] digest, byte[] signature)
    {
        try
        {
            // One key shared by the instance's vends, and RSA's members are not documented as safe to call at once.
            lock (key)
            {
                return key.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
