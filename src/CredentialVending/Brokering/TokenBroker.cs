using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CredentialVending.Issuing;

namespace CredentialVending.Brokering;

/// <summary>
/// The service as an OpenID Connect provider for its brokered tenants (docs/api.md, "Brokered tenants"): it mints the
/// token a brokered vend hands to <c>sts:AssumeRoleWithWebIdentity</c>, and serves the discovery document and the JWKS
/// that STS checks the token with. The public key is read once per instance.
/// </summary>
public sealed class TokenBroker
{
    /// <summary>The token only has to live until STS reads it, a moment after it is minted.</summary>
    public const int LifetimeSeconds = 300;

    public const string TagsClaim = "https://aws.amazon.com/tags";
    public const string SourceIdentityClaim = "https://aws.amazon.com/source_identity";

    private readonly IBrokerKey _key;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Task<(BrokerJwk Jwk, RSA Key)>? _jwk;

    public TokenBroker(BrokerSettings settings, IBrokerKey key, TimeProvider time)
    {
        Settings = settings;
        _key = key;
        _time = time;
    }

    public BrokerSettings Settings { get; }

    public OpenIdConfiguration Discovery => new(
        Settings.Issuer,
        Settings.JwksUri,
        [BrokerJwks.Algorithm],
        ["id_token"],
        ["public"],
        ["iss", "aud", "sub", "iat", "exp", "jti", TagsClaim, SourceIdentityClaim]);

    /// <summary>The signing key's JWK: read from KMS on first use, then kept; a failed read is tried again on the next call.</summary>
    public async Task<BrokerJwk> JwkAsync(CancellationToken ct) => (await PublicKeyAsync(ct).ConfigureAwait(false)).Jwk;

    private Task<(BrokerJwk Jwk, RSA Key)> PublicKeyAsync(CancellationToken ct)
    {
        Task<(BrokerJwk Jwk, RSA Key)> pending;
        lock (_gate)
        {
            if (_jwk is null || _jwk.IsFaulted || _jwk.IsCanceled)
            {
                // Not the caller's token: the read is shared by every caller of this instance, and bounded by KMS's budget.
                _jwk = ReadJwkAsync();
            }

            pending = _jwk;
        }

        return pending.WaitAsync(ct);
    }

    /// <summary>
    /// A token for <paramref name="subject"/> of <paramref name="tenantId"/>, named by <paramref name="leaseId"/>, with the
    /// rendered session <paramref name="tags"/> and nothing of the caller's own claims: its tags and source identity are ours.
    /// </summary>
    public async Task<string> MintAsync(string tenantId, string subject, string leaseId, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var (jwk, publicKey) = await PublicKeyAsync(ct).ConfigureAwait(false);
        var issuedAt = _time.GetUtcNow().ToUnixTimeSeconds();
        var principalTags = new Dictionary<string, string[]>(tags.Count, StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            principalTags[key] = [value];
        }

        var claims = new BrokerTokenClaims(
            Settings.Issuer,
            Settings.Audience,
            $"{tenantId}:{subject}",
            issuedAt,
            issuedAt + LifetimeSeconds,
            leaseId,
            new BrokerTagsClaim(principalTags, []),
            StsInputs.FitsSessionName(subject) ? subject : null);
        var header = new BrokerTokenHeader(BrokerJwks.Algorithm, "JWT", jwk.Kid);
        var signingInput = Segment(JsonSerializer.SerializeToUtf8Bytes(header, BrokerJsonContext.Default.BrokerTokenHeader))
            + "." + Segment(JsonSerializer.SerializeToUtf8Bytes(claims, BrokerJsonContext.Default.BrokerTokenClaims));
        var digest = SHA256.HashData(Encoding.ASCII.GetBytes(signingInput));
        var signature = await _key.SignDigestAsync(digest, ct).ConfigureAwait(false);

        // STS would refuse a token that does not verify, as the tenant's fault (502); checked here with the key already
        // held, a KMS answering a wrong signature is KMS failing (503) and STS is never called with it. The held key is
        // let go, so that a key rotated under the alias is read again (for the next token and the JWKS) rather than
        // failing every vend for the instance's life.
        if (!BrokerJwks.Verifies(publicKey, digest, signature))
        {
            Forget(publicKey);
            throw BrokerFailures.Unavailable(new InvalidDataException("The signature does not verify under the key's public key."), "sign the brokered token");
        }

        return signingInput + "." + Segment(signature);
    }

    private void Forget(RSA publicKey)
    {
        lock (_gate)
        {
            // Not disposed: a vend of another thread may still be checking with it.
            if (_jwk is { IsCompletedSuccessfully: true } held && ReferenceEquals(held.Result.Key, publicKey))
            {
                _jwk = null;
            }
        }
    }

    private async Task<(BrokerJwk Jwk, RSA Key)> ReadJwkAsync()
    {
        var der = await _key.GetPublicKeyAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var key = BrokerJwks.Read(der);
            return (BrokerJwks.Jwk(key), key);
        }
        catch (InvalidDataException e)
        {
            // A key that is not RSA of 2048 bits or more (BROKER_KMS_KEY_ID names the wrong key): the deployment's to fix, as KMS being down is.
            throw BrokerFailures.Unavailable(e, "read an RSA public key");
        }
    }

    private static string Segment(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
