using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Local.Oidc;

/// <summary>One generation of the development issuer's keys: RSA 2048, EC P-256 and EC P-384.</summary>
/// <remarks>
/// The RSA key is published once per RSA algorithm, each entry with its own kid and <c>alg</c>, so a validator
/// that holds a JWK to its <c>alg</c> finds the right entry for every token; one key pair keeps start-up cheap.
/// </remarks>
internal sealed class DevelopmentKeySet : IDisposable
{
    private static readonly string[] RsaAlgorithms = ["RS256", "RS384", "RS512", "PS256"];
    internal static readonly string[] Algorithms = [.. RsaAlgorithms, "ES256", "ES384"];

    private readonly Dictionary<string, string> _kids;
    private readonly Dictionary<string, SigningCredentials> _credentials;

    private DevelopmentKeySet()
    {
        Rsa = RSA.Create(2048);
        P256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        P384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var generation = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(6));
        _kids = Algorithms.ToDictionary(a => a, a => $"dev-{a.ToLowerInvariant()}-{generation}", StringComparer.Ordinal);

        // Built once: IdentityModel caches signature providers per key, and a new key object per token defeats that.
        _credentials = Algorithms.ToDictionary(a => a, NewCredentials, StringComparer.Ordinal);
    }

    public RSA Rsa { get; }

    public ECDsa P256 { get; }

    public ECDsa P384 { get; }

    public static DevelopmentKeySet Create() => new();

    public string KeyIdFor(string algorithm) =>
        _kids.TryGetValue(algorithm, out var kid) ? kid : throw new ArgumentException($"The development issuer does not sign with {algorithm}.", nameof(algorithm));

    public SigningCredentials CredentialsFor(string algorithm) =>
        _credentials.TryGetValue(algorithm, out var credentials) ? credentials : throw new ArgumentException($"The development issuer does not sign with {algorithm}.", nameof(algorithm));

    /// <summary>The public JWKs, one per algorithm.</summary>
    public IEnumerable<Jwk> PublicJwks()
    {
        var rsa = Rsa.ExportParameters(includePrivateParameters: false);
        foreach (var algorithm in RsaAlgorithms)
        {
            yield return new Jwk("RSA", "sig", algorithm, _kids[algorithm]) { N = B64(rsa.Modulus), E = B64(rsa.Exponent) };
        }

        yield return EcJwk(P256, "ES256", "P-256");
        yield return EcJwk(P384, "ES384", "P-384");
    }

    public void Dispose()
    {
        Rsa.Dispose();
        P256.Dispose();
        P384.Dispose();
    }

    private SigningCredentials NewCredentials(string algorithm)
    {
        SecurityKey key = algorithm switch
        {
            "ES256" => new ECDsaSecurityKey(P256),
            "ES384" => new ECDsaSecurityKey(P384),
            _ => new RsaSecurityKey(Rsa),
        };
        key.KeyId = KeyIdFor(algorithm);
        return new SigningCredentials(key, algorithm);
    }

    private Jwk EcJwk(ECDsa key, string algorithm, string curve)
    {
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        return new Jwk("EC", "sig", algorithm, _kids[algorithm]) { Crv = curve, X = B64(point.X), Y = B64(point.Y) };
    }

    private static string B64(byte[]? bytes) => Base64Url.EncodeToString(bytes);
}

/// <summary>A public JSON Web Key as the JWKS publishes it (RFC 7517).</summary>
internal sealed record Jwk(string Kty, string Use, string Alg, string Kid)
{
    public string? N { get; init; }

    public string? E { get; init; }

    public string? Crv { get; init; }

    public string? X { get; init; }

    public string? Y { get; init; }
}
