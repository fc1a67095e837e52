using CredentialVending.SystemTests.Iam;

namespace CredentialVending.SystemTests.Kms;

/// <summary>The KMS wire format against moto's KMS (which checks no signature, and differs from KMS where docs/gotchas.md says).</summary>
public sealed class KmsOnMotoTests(MotoFixture moto) : KmsContract, IClassFixture<MotoFixture>
{
    protected override Uri Endpoint => moto.Server.Endpoint;
}
