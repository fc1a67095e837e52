namespace CredentialVending.Local.Oidc;

/// <summary>How <see cref="DevelopmentIssuer.SignRaw"/> signs a hand-made token, whatever its header claims.</summary>
public enum DevelopmentSigningKey
{
    /// <summary>The RSA key, RSASSA-PKCS1-v1_5 with SHA-256 (what RS256 means).</summary>
    Rsa,

    /// <summary>The RSA key, RSASSA-PSS with SHA-256 (PS256).</summary>
    RsaPss,

    /// <summary>The P-256 key, ECDSA with SHA-256 (ES256).</summary>
    EcP256,

    /// <summary>The P-384 key, ECDSA with SHA-384 (ES384).</summary>
    EcP384,

    /// <summary>HMAC-SHA256 keyed with the RSA public key's PEM text: the classic algorithm-confusion attack.</summary>
    HmacWithRsaPublicKeyPem,

    /// <summary>No signature at all (for <c>alg: none</c> tokens).</summary>
    Unsigned,
}
