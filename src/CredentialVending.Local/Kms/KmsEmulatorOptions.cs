namespace CredentialVending.Local.Kms;

/// <summary>Settings of a <see cref="KmsEmulator"/>, the development and test stand-in for one regional KMS endpoint.</summary>
public sealed record KmsEmulatorOptions
{
    /// <summary>The region this endpoint serves; SigV4 scopes must name it, and key ARNs do.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account that owns the keys.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>SigV4 credentials the emulator accepts (the vend function's own role): access key id to secret.</summary>
    /// <remarks>A session token sent with these keys is accepted and ignored, as a function role's credentials carry one.</remarks>
    public IReadOnlyDictionary<string, string> CallerCredentials { get; init; } = new Dictionary<string, string>();

    /// <summary>Aliases (<c>alias/...</c>) of RSA_2048 SIGN_VERIFY keys made at start, so a caller can name a key before any <c>CreateKey</c>.</summary>
    public IReadOnlyList<string> SigningKeyAliases { get; init; } = [];

    /// <summary>The loopback port to bind; 0 picks a free one.</summary>
    public int Port { get; init; }
}
