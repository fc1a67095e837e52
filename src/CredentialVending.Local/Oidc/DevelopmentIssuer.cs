using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CredentialVending.Local.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialVending.Local.Oidc;

/// <summary>
/// A development OIDC issuer, for local runs and tests only: it signs whatever it is asked to, hands tokens to
/// any loopback caller through <c>GET /_local/token</c>, and keeps its keys in memory. Never trust it in a deployment.
/// It publishes discovery and a JWKS like a real issuer, so the product validates its tokens the way it validates
/// Cognito's or Auth0's.
/// </summary>
public sealed partial class DevelopmentIssuer : IAsyncDisposable
{
    private readonly DevelopmentIssuerOptions _options;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly string _pathPrefix;
    private WebApplication? _app;
    private volatile DevelopmentKeySet _keys = DevelopmentKeySet.Create();
    private volatile bool _jwksDown;
    private int _jwksFetchCount;
    private int _discoveryFetchCount;

    private DevelopmentIssuer(string issuer, DevelopmentIssuerOptions? options)
    {
        _options = options ?? new DevelopmentIssuerOptions();
        Issuer = issuer.TrimEnd('/');
        _pathPrefix = Issuer.Length == 0 ? string.Empty : new Uri(Issuer).AbsolutePath.TrimEnd('/');
    }

    /// <summary>The issuer URL, <c>http://127.0.0.1:PORT</c> (no trailing slash): the <c>iss</c> of its tokens.</summary>
    public string Issuer { get; private set; }

    /// <summary>When true, discovery and the JWKS answer 503, as an issuer in an outage would.</summary>
    public bool JwksDown { get => _jwksDown; set => _jwksDown = value; }

    /// <summary>How many requests reached the JWKS endpoint, those answered 503 included.</summary>
    public int JwksFetchCount => Volatile.Read(ref _jwksFetchCount);

    /// <summary>How many requests reached the discovery document, those answered 503 included.</summary>
    public int DiscoveryFetchCount => Volatile.Read(ref _discoveryFetchCount);

    /// <summary>The algorithms this issuer signs with, each under its own kid.</summary>
    public static IReadOnlyList<string> Algorithms => DevelopmentKeySet.Algorithms;

    /// <summary>The RSA public key as a PEM <c>PUBLIC KEY</c> block (for HMAC-confusion tests).</summary>
    public string RsaPublicKeyPem => _keys.Rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>The current kid of an algorithm's key, for hand-made headers.</summary>
    public string KeyIdFor(string algorithm) => _keys.KeyIdFor(algorithm);

    /// <summary>Starts a development issuer on its own loopback port.</summary>
    public static async Task<DevelopmentIssuer> StartAsync(DevelopmentIssuerOptions? options = null, CancellationToken ct = default)
    {
        var issuer = new DevelopmentIssuer(string.Empty, options);
        var app = LoopbackWebApp.CreateBuilder(issuer._options.Port).Build();
        issuer.MapEndpoints(app);
        try
        {
            var address = await LoopbackWebApp.StartAsync(app, ct).ConfigureAwait(false);
            issuer.Issuer = address.GetLeftPart(UriPartial.Authority);
            issuer._app = app;
            return issuer;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            issuer._keys.Dispose();
            throw;
        }
    }

    /// <summary>A development issuer whose endpoints the caller maps onto its own app with <see cref="MapEndpoints"/>.</summary>
    /// <param name="issuerUrl">The URL the endpoints will answer at (its path, if any, prefixes every endpoint).</param>
    /// <param name="options">Settings; defaults when null.</param>
    public static DevelopmentIssuer CreateMounted(string issuerUrl, DevelopmentIssuerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuerUrl);
        if (!Uri.TryCreate(issuerUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException("The issuer URL must be absolute.", nameof(issuerUrl));
        }

        return new DevelopmentIssuer(issuerUrl, options);
    }

    /// <summary>Signs a development token.</summary>
    public string IssueToken(TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var iat = request.IssuedAt ?? _options.Time.GetUtcNow();
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["iss"] = request.Issuer ?? Issuer,
            ["sub"] = request.Subject,
            ["iat"] = iat.ToUnixTimeSeconds(),
            ["nbf"] = (request.NotBefore ?? iat).ToUnixTimeSeconds(),
            ["exp"] = (iat + request.Lifetime).ToUnixTimeSeconds(),
        };
        if (request.Audiences.Count > 0)
        {
            claims["aud"] = request.Audiences.Count == 1 ? request.Audiences[0] : request.Audiences.ToArray();
        }

        foreach (var (name, value) in request.Claims ?? new Dictionary<string, object>())
        {
            claims[name] = value;
        }

        // Times go in as plain claims, not through the descriptor, so tests can make tokens that expire before they start.
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            TokenType = "JWT",
            SigningCredentials = _keys.CredentialsFor(request.Algorithm),
        });
    }

    /// <summary>Builds a compact JWS from any header and payload JSON, signed as <paramref name="useKey"/> says.</summary>
    public string SignRaw(string headerJson, string payloadJson, DevelopmentSigningKey useKey = DevelopmentSigningKey.Rsa)
    {
        ArgumentNullException.ThrowIfNull(headerJson);
        ArgumentNullException.ThrowIfNull(payloadJson);
        return SignRaw(Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payloadJson), useKey);
    }

    /// <summary>Like the string form, from bytes: for tokens whose header or payload is not even UTF-8.</summary>
    public string SignRaw(byte[] header, byte[] payload, DevelopmentSigningKey useKey = DevelopmentSigningKey.Rsa)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(payload);
        var input = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var data = Encoding.ASCII.GetBytes(input);
        var keys = _keys;
        var signature = useKey switch
        {
            DevelopmentSigningKey.Rsa => keys.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            DevelopmentSigningKey.RsaPss => keys.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            DevelopmentSigningKey.EcP256 => keys.P256.SignData(data, HashAlgorithmName.SHA256),
            DevelopmentSigningKey.EcP384 => keys.P384.SignData(data, HashAlgorithmName.SHA384),
            DevelopmentSigningKey.HmacWithRsaPublicKeyPem => HMACSHA256.HashData(Encoding.ASCII.GetBytes(RsaPublicKeyPem), data),
            _ => [],
        };
        return input + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Replaces every key with new ones under new kids; tokens signed before no longer verify against the JWKS.</summary>
    /// <remarks>The old keys are left to the collector, not disposed: a token may be being signed with them right now.</remarks>
    public void RotateKeys() => _keys = DevelopmentKeySet.Create();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _keys.Dispose();
    }
}
