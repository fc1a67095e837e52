using CredentialVending.Local.Kms;

namespace CredentialVending.SystemTests.Kms;

/// <summary>One KMS emulator for a class, trusting the contract's key.</summary>
public sealed class KmsEmulatorFixture : IAsyncLifetime
{
    public KmsEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await KmsEmulator.StartAsync(new KmsEmulatorOptions
    {
        CallerCredentials = new Dictionary<string, string> { [KmsContract.Key.GetCredentials().AccessKey] = KmsContract.Key.GetCredentials().SecretKey },
    });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

/// <summary>The KMS wire format against the local cloud's emulator; what moto does not check is in Local.Tests' KmsEmulatorTests.</summary>
public sealed class KmsOnEmulatorTests(KmsEmulatorFixture kms) : KmsContract, IClassFixture<KmsEmulatorFixture>
{
    protected override Uri Endpoint => kms.Emulator.Endpoint;
}
