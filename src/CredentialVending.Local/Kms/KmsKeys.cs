using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CredentialVending.Local.Kms;

/// <summary>KMS's key states that the emulator models.</summary>
public static class KmsKeyState
{
    public const string Enabled = "Enabled";
    public const string Disabled = "Disabled";
    public const string PendingDeletion = "PendingDeletion";
}

/// <summary>One key: its metadata and, for an RSA key, its private half (which never leaves the emulator).</summary>
internal sealed class KmsKey(string id, string arn, string keySpec, string keyUsage, string description, DateTimeOffset created, RSA? rsa)
{
    public string Id { get; } = id;

    public string Arn { get; } = arn;

    public string KeySpec { get; } = keySpec;

    public string KeyUsage { get; } = keyUsage;

    public string Description { get; } = description;

    public DateTimeOffset Created { get; } = created;

    public RSA? Rsa { get; } = rsa;

    public string State { get; set; } = KmsKeyState.Enabled;

    /// <summary>The signing algorithms KMS lists for the key: RSA keys for SIGN_VERIFY only.</summary>
    public IReadOnlyList<string> SigningAlgorithms => Rsa is not null && KeyUsage == "SIGN_VERIFY" ? KmsSigning.RsaAlgorithms : [];
}

/// <summary>The keys of one account and region, found by id, key ARN, alias name or alias ARN, as KMS resolves a <c>KeyId</c>.</summary>
internal sealed class KmsKeys(KmsEmulatorOptions options) : IDisposable
{
    public static readonly string[] KeySpecs = ["RSA_2048", "RSA_3072", "RSA_4096", "SYMMETRIC_DEFAULT"];

    private readonly ConcurrentDictionary<string, KmsKey> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _aliases = new(StringComparer.Ordinal);

    private string ArnPrefix => $"arn:aws:kms:{options.Region}:{options.AccountId}:";

    public KmsKey Create(string keySpec, string keyUsage, string description, DateTimeOffset now)
    {
        var id = Guid.NewGuid().ToString();
        var rsa = keySpec.StartsWith("RSA_", StringComparison.Ordinal) ? RSA.Create(int.Parse(keySpec[4..], System.Globalization.CultureInfo.InvariantCulture)) : null;
        var key = new KmsKey(id, ArnPrefix + "key/" + id, keySpec, keyUsage, description, now, rsa);
        _keys[id] = key;
        return key;
    }

    /// <summary>Null when the alias is taken.</summary>
    public KmsError? Alias(string aliasName, KmsKey key) =>
        _aliases.TryAdd(aliasName, key.Id) ? null : KmsError.AlreadyExists($"An alias with the name {ArnPrefix}{aliasName} already exists");

    /// <summary>The key a <c>KeyId</c> names, or KMS's NotFoundException.</summary>
    public (KmsKey? Key, KmsError? Error) Find(string keyId)
    {
        var name = keyId.StartsWith(ArnPrefix, StringComparison.Ordinal) ? keyId[ArnPrefix.Length..] : keyId;
        if (name.StartsWith("alias/", StringComparison.Ordinal))
        {
            return _aliases.TryGetValue(name, out var target) && _keys.TryGetValue(target, out var aliased)
                ? (aliased, null)
                : (null, KmsError.AliasNotFound(ArnPrefix + name));
        }

        var id = name.StartsWith("key/", StringComparison.Ordinal) ? name[4..] : name;
        if (!Guid.TryParseExact(id, "D", out _) || (name == keyId && keyId.StartsWith("arn:", StringComparison.Ordinal)))
        {
            return (null, KmsError.InvalidKeyId(keyId));
        }

        return _keys.TryGetValue(id, out var key) ? (key, null) : (null, KmsError.KeyNotFound(ArnPrefix + "key/" + id));
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Rsa?.Dispose();
        }
    }
}
