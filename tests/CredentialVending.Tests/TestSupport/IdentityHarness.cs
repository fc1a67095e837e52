using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Local.Oidc;
using CredentialVending.Tenants;

namespace CredentialVending.Tests.TestSupport;

/// <summary>
/// A development OIDC issuer on loopback, a clock shared by the issuer and the authenticator, and a key cache of
/// the test's own, so fetch counts and refetch limits never leak between tests.
/// </summary>
public sealed class IdentityHarness : IAsyncDisposable
{
    // The service's own guarded client, in loopback mode: every identity test fetches through the address rule.
    private static readonly HttpClient Http = IssuerHttp.CreateClient(new IssuerFetchRules(AllowInsecureLoopback: true, RuntimeApi: null));

    private IdentityHarness(DevelopmentIssuer issuer, ManualTimeProvider clock, bool allowInsecureLoopback)
    {
        Issuer = issuer;
        Clock = clock;
        Cache = new SigningKeyCache();
        Authenticator = Create(allowInsecureLoopback);
        Tenant = IdentityTenants.For(issuer.Issuer);
    }

    public DevelopmentIssuer Issuer { get; }
    public ManualTimeProvider Clock { get; }
    public TenantDocument Tenant { get; set; }
    internal SigningKeyCache Cache { get; }
    public TokenAuthenticator Authenticator { get; }

    public static async Task<IdentityHarness> StartAsync(bool allowInsecureLoopback = true)
    {
        var clock = new ManualTimeProvider();
        var issuer = await DevelopmentIssuer.StartAsync(new DevelopmentIssuerOptions { Time = clock });
        return new IdentityHarness(issuer, clock, allowInsecureLoopback);
    }

    /// <summary>Another authenticator on the same issuer and cache (another setting of the loopback flag, say).</summary>
    public TokenAuthenticator Create(bool allowInsecureLoopback) =>
        new(Http, Clock, allowInsecureLoopback, Cache, TimeSpan.FromSeconds(3));

    public string Token(string subject = "alice", IReadOnlyDictionary<string, object>? claims = null, string algorithm = "RS256") =>
        Issuer.IssueToken(new TokenRequest { Subject = subject, Claims = claims, Algorithm = algorithm });

    public Task<Outcome<Caller>> AuthenticateAsync(string token) =>
        Authenticator.AuthenticateAsync("Bearer " + token, Tenant, CancellationToken.None);

    public ValueTask DisposeAsync() => Issuer.DisposeAsync();
}
