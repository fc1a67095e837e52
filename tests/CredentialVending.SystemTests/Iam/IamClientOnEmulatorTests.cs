using Amazon.Runtime;
using CredentialVending.Local.Iam;
using CredentialVending.Revocation;

namespace CredentialVending.SystemTests.Iam;

/// <summary>One IAM emulator for a class, trusting the contract's key.</summary>
public sealed class IamEmulatorFixture : IAsyncLifetime
{
    public IamEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await IamEmulator.StartAsync(new IamEmulatorOptions
    {
        CallerCredentials = new Dictionary<string, string> { [IamClientOnEmulatorTests.AccessKeyId] = IamClientOnEmulatorTests.Secret },
    });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

/// <summary>The IAM client's wire format against the local cloud's emulator, plus what moto does not check.</summary>
public sealed class IamClientOnEmulatorTests(IamEmulatorFixture iam) : IamClientContract, IClassFixture<IamEmulatorFixture>
{
    internal static readonly string AccessKeyId = Key.GetCredentials().AccessKey;
    internal static readonly string Secret = Key.GetCredentials().SecretKey;

    protected override Uri Endpoint => iam.Emulator.Endpoint;

    protected override Task<string> CreateRoleAsync()
    {
        var name = "tenant-" + Guid.NewGuid().ToString("N")[..12];
        Assert.True(iam.Emulator.CreateRole(name));
        return Task.FromResult(name);
    }

    [Theory]
    [InlineData(10240, 0, false)]
    [InlineData(10241, 0, true)]
    [InlineData(10240, 3000, false)]
    public async Task A_role_s_inline_policies_are_limited_to_10240_characters_not_counting_white_space(int characters, int spaces, bool refused)
    {
        var role = await CreateRoleAsync();
        var document = Sized(characters, spaces);

        var put = () => Client().PutAsync(role, PolicyName, document, CancellationToken.None);

        if (refused)
        {
            var error = await Assert.ThrowsAsync<IamRefusedException>(put);
            Assert.Equal("LimitExceeded", error.ErrorCode);
            Assert.Equal(409, error.StatusCode);
        }
        else
        {
            await put();
            Assert.Equal(document, iam.Emulator.RolePolicy(role, PolicyName));
        }
    }

    [Fact]
    public async Task The_limit_counts_every_inline_policy_of_the_role_together()
    {
        var role = await CreateRoleAsync();
        var client = Client();
        await client.PutAsync(role, "other", Sized(6000, 0), CancellationToken.None);

        var error = await Assert.ThrowsAsync<IamRefusedException>(() => client.PutAsync(role, PolicyName, Sized(6000, 0), CancellationToken.None));

        Assert.Equal("LimitExceeded", error.ErrorCode);
        Assert.Null(await client.GetAsync(role, PolicyName, CancellationToken.None));
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_secret_is_refused_and_changes_nothing()
    {
        var role = await CreateRoleAsync();

        var error = await Assert.ThrowsAsync<IamRefusedException>(() =>
            Client(new BasicAWSCredentials(AccessKeyId, Secret[..^1] + "x")).PutAsync(role, PolicyName, Document, CancellationToken.None));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Null(iam.Emulator.RolePolicy(role, PolicyName));
    }

    [Fact]
    public async Task A_session_token_travels_signed_with_the_request()
    {
        var role = await CreateRoleAsync();

        await Client(new SessionAWSCredentials(AccessKeyId, Secret, "FQoGZXIvYXdzEXAMPLE+/=token")).PutAsync(role, PolicyName, Document, CancellationToken.None);

        Assert.Equal(Document, iam.Emulator.RolePolicy(role, PolicyName));
    }

    // A deny policy of exactly that many characters, white space aside, with that many spaces added.
    private static string Sized(int characters, int spaces)
    {
        var frame = """{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Deny","Action":"*","Resource":"*"}]}""";
        var sid = new string('A', characters - frame.Length);
        return "{" + new string(' ', spaces) + frame[1..].Replace("\"Sid\":\"\"", $"\"Sid\":\"{sid}\"", StringComparison.Ordinal);
    }
}
