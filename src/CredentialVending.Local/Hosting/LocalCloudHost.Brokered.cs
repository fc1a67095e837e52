using CredentialVending.Local.Kms;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Hosting;

/// <summary>
/// The brokered mode's parts of the local cloud (docs/api.md, "Brokered tenants"): a KMS emulator with the signing key,
/// the vend function's <c>BROKER_*</c> settings pointed at it and at the API's own URL as the issuer, and the STS
/// emulators' trust in that issuer for each brokered tenant's role, with <c>sub</c> like <c>{tenantId}:*</c>.
/// </summary>
public sealed partial class LocalCloudHost
{
    /// <summary>The alias of the brokered mode's signing key (RSA_2048, SIGN_VERIFY), made at start.</summary>
    public const string BrokerKeyAlias = "alias/credential-vending-broker";

    /// <summary>The brokered mode's audience: the template's OIDC provider's client id and <c>BROKER_AUDIENCE</c>'s default.</summary>
    public const string BrokerAudience = "credential-vending";

    /// <summary>Where the development issuer lives under the API's URL.</summary>
    public const string DevelopmentIssuerPath = "/_local/issuer";

    /// <summary>The KMS emulator; null with <c>--aws</c>.</summary>
    public KmsEmulator? Kms { get; private set; }

    /// <summary>The signing key's ARN, the functions' <c>BROKER_KMS_KEY_ID</c>; null with <c>--aws</c>.</summary>
    public string? BrokerKeyArn { get; private set; }

    /// <summary>The API's base URL without its trailing slash: <c>BROKER_ISSUER</c>, the minted tokens' <c>iss</c>.</summary>
    public string BrokerIssuer { get; private set; } = string.Empty;

    /// <summary>
    /// Makes the STS emulators trust the service's issuer for a brokered tenant's role, as the role's trust policy would
    /// (<c>aud</c> = <see cref="BrokerAudience"/>, <c>sub</c> like <c>{tenantId}:*</c>); onboarding calls it. No-op with <c>--aws</c>.
    /// </summary>
    public void TrustBrokeredTenant(string tenantId, string roleArn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(roleArn);
        foreach (var sts in _sts)
        {
            sts.AddWebIdentityTrust(new WebIdentityTrust(BrokerIssuer, BrokerAudience) { RoleArn = roleArn, SubjectLike = tenantId + ":*" });
        }
    }

    private async Task StartKmsAsync(CancellationToken cancellationToken)
    {
        Kms = await KmsEmulator.StartAsync(new KmsEmulatorOptions
        {
            Region = Region,
            AccountId = Options.AccountId,
            CallerCredentials = new Dictionary<string, string> { [Options.FunctionAccessKeyId] = Options.FunctionSecretAccessKey },
        }, cancellationToken).ConfigureAwait(false);
        BrokerKeyArn = Kms.CreateSigningKey(BrokerKeyAlias);
        Options.Progress($"KMS emulator {Kms.Endpoint} (signing key {BrokerKeyAlias})");
    }

    private void AddBrokerEnvironment(Dictionary<string, string> env)
    {
        env["AWS_ENDPOINT_URL_KMS"] = Kms!.Endpoint.ToString();
        env["BROKER_KMS_KEY_ID"] = BrokerKeyArn!;
        env["BROKER_ISSUER"] = BrokerIssuer;
        env["BROKER_AUDIENCE"] = BrokerAudience;
    }
}
