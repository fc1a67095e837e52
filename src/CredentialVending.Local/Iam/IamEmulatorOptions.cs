namespace CredentialVending.Local.Iam;

/// <summary>Settings of an <see cref="IamEmulator"/>, the development and test stand-in for IAM's global endpoint.</summary>
public sealed record IamEmulatorOptions
{
    /// <summary>The account whose roles the emulator holds.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>SigV4 credentials the emulator accepts (the revoke function's own role): access key id to secret.</summary>
    /// <remarks>A session token sent with these keys is accepted and ignored, as a function role's credentials carry one.</remarks>
    public IReadOnlyDictionary<string, string> CallerCredentials { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Whether every role name of the account exists without a <c>CreateRole</c>, as the STS emulator assumes any role:
    /// the local cloud sets it, so whatever role a tenant onboarded there names is found. Off, only created roles exist.
    /// </summary>
    public bool EveryRoleExists { get; init; }

    /// <summary>The loopback port to bind; 0 picks a free one.</summary>
    public int Port { get; init; }
}
