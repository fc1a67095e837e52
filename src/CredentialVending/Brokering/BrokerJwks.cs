using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CredentialVending.Brokering;

/// <summary>The JWK of the signing key, built from the DER SubjectPublicKeyInfo that <c>kms:GetPublicKey</c> answers.</summary>
public static class BrokerJwks
{
    public const string Algorithm = "RS256";

    /// <summary>
    /// The JWK, with <c>kid</c> the RFC 7638 thumbprint of the key: a rotated key gets a new kid, so a verifier holding
    /// the old JWKS refetches instead of failing on the old key.
    /// </summary>
    public static BrokerJwk FromSubjectPublicKeyInfo(byte[] der)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(der, out _);
        }
        catch (CryptographicException failure)
        {
            throw new InvalidDataException("The signing key's public key is not an RSA SubjectPublicKeyInfo.", failure);
        }

        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var n = Base64Url.EncodeToString(parameters.Modulus!);
        var e = Base64Url.EncodeToString(parameters.Exponent!);

        // RFC 7638 section 3.2: the required members only, in lexicographic order, with no whitespace.
        var canonical = $$"""{"e":"{{e}}","kty":"RSA","n":"{{n}}"}""";
        var kid = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return new BrokerJwk("RSA", n, e, kid, "sig", Algorithm);
    }
}
