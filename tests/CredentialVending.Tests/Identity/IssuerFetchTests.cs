using System.Collections.Concurrent;
using System.Net;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Oidc;
using CredentialVending.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CredentialVending.Tests.Identity;

/// <summary>
/// docs/api.md "Authentication of callers": discovery and JWKS are never fetched from a private, link-local or loopback
/// address in https mode, every redirect is checked as the first request is, and in loopback mode the Lambda
/// Runtime API's own address is never fetched. Each refusal leaves the service without keys: 503, never a 401.
/// </summary>
public sealed class IssuerFetchTests
{
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    [InlineData("100.64.1.1")]
    [InlineData("52.94.76.10,10.0.0.1")]
    public async Task An_https_issuer_whose_name_resolves_off_the_public_internet_is_not_fetched(string resolvesTo)
    {
        await using var h = await IdentityHarness.StartAsync();
        var asked = new ConcurrentQueue<string>();
        var addresses = resolvesTo.Split(',').Select(IPAddress.Parse).ToArray();
        var authenticator = Authenticator(h, new IssuerFetchRules(false, null), (host, _) =>
        {
            asked.Enqueue(host);
            return Task.FromResult(addresses);
        });

        var failure = await FetchFailureAsync(h, authenticator, "https://issuer.example.com");

        Assert.Equal(["issuer.example.com"], asked);
        Assert.Contains($"resolves to {addresses.Last()}", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://169.254.169.254")]
    [InlineData("https://[::ffff:a9fe:a9fe]")]
    [InlineData("https://[fe80::1]")]
    [InlineData("https://0.0.0.0")]
    public async Task An_https_issuer_at_a_literal_address_off_the_public_internet_is_not_fetched(string issuer)
    {
        await using var h = await IdentityHarness.StartAsync();
        var authenticator = Authenticator(h, new IssuerFetchRules(false, null), (_, _) => throw new InvalidOperationException("a literal address is never resolved"));

        var failure = await FetchFailureAsync(h, authenticator, issuer);

        Assert.Contains("not fetched", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:{PORT}")]
    [InlineData("localhost:{PORT}")]
    [InlineData("[::1]:{PORT}")]
    public async Task In_loopback_mode_the_runtime_api_address_is_never_fetched(string runtimeApi)
    {
        await using var h = await IdentityHarness.StartAsync();
        var port = new Uri(h.Issuer.Issuer).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var authenticator = Authenticator(h, new IssuerFetchRules(true, runtimeApi.Replace("{PORT}", port, StringComparison.Ordinal)));

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(() => authenticator.AuthenticateAsync("Bearer " + h.Token(), h.Tenant, CancellationToken.None));

        Assert.Contains("Runtime API", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Issuer.DiscoveryFetchCount);
    }

    [Fact]
    public async Task In_loopback_mode_an_issuer_on_another_port_than_the_runtime_api_is_fetched()
    {
        await using var h = await IdentityHarness.StartAsync();
        var authenticator = Authenticator(h, new IssuerFetchRules(true, "127.0.0.1:9001"));

        var outcome = await authenticator.AuthenticateAsync("Bearer " + h.Token(), h.Tenant, CancellationToken.None);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
    }

    [Theory]
    [InlineData("/moved", true)]
    [InlineData("http://127.0.0.1:{RUNTIME}/2018-06-01/runtime/invocation/next", false)]
    [InlineData("http://10.0.0.1/.well-known/openid-configuration", false)]
    [InlineData("http://169.254.169.254/latest/meta-data/", false)]
    [InlineData("https://user:secret@issuer.example.com/x", false)]
    [InlineData("/loop", false)]
    public async Task Each_redirect_hop_is_checked_as_the_first_request_is(string location, bool served)
    {
        await using var h = await IdentityHarness.StartAsync();
        await using var runtimeApi = await ServerAsync(app => app.MapGet("/{**any}", () => Results.Text("{}", "application/json")));
        var runtimePort = runtimeApi.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var moved = await ServerAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Redirect(location.Replace("{RUNTIME}", runtimePort, StringComparison.Ordinal)));
            app.MapGet("/loop", () => Results.Redirect("/loop"));
            app.MapGet("/moved", (HttpContext c) => Results.Text(
                $$"""{"issuer":"{{c.Request.Scheme}}://{{c.Request.Host}}","jwks_uri":"{{h.Issuer.Issuer}}/.well-known/jwks.json"}""", "application/json"));
        });
        var issuer = moved.Url.GetLeftPart(UriPartial.Authority);
        h.Tenant = IdentityTenants.For(issuer);
        var token = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", Issuer = issuer });
        var authenticator = Authenticator(h, new IssuerFetchRules(true, "127.0.0.1:" + runtimePort));

        if (served)
        {
            var outcome = await authenticator.AuthenticateAsync("Bearer " + token, h.Tenant, CancellationToken.None);
            Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
        }
        else
        {
            await Assert.ThrowsAsync<DependencyUnavailableException>(() => authenticator.AuthenticateAsync("Bearer " + token, h.Tenant, CancellationToken.None));
            Assert.Equal(0, runtimeApi.Hits);
        }
    }

    private static TokenAuthenticator Authenticator(IdentityHarness h, IssuerFetchRules rules, HostResolver? resolve = null) =>
        new(IssuerHttp.CreateClient(rules, resolve), h.Clock, rules.AllowInsecureLoopback, new SigningKeyCache(), TimeSpan.FromSeconds(3));

    private static async Task<DependencyUnavailableException> FetchFailureAsync(IdentityHarness h, TokenAuthenticator authenticator, string issuer)
    {
        var tenant = IdentityTenants.For(issuer);
        var token = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", Issuer = issuer });
        return await Assert.ThrowsAsync<DependencyUnavailableException>(() => authenticator.AuthenticateAsync("Bearer " + token, tenant, CancellationToken.None));
    }

    private static async Task<CountingServer> ServerAsync(Action<WebApplication> map)
    {
        var app = LoopbackWebApp.CreateBuilder().Build();
        var server = new CountingServer(app);
        app.Use(async (context, next) =>
        {
            server.Hit();
            await next(context);
        });
        map(app);
        server.Url = await LoopbackWebApp.StartAsync(app);
        return server;
    }

    private sealed class CountingServer(WebApplication app) : IAsyncDisposable
    {
        private int _hits;

        public Uri Url { get; set; } = null!;
        public int Hits => Volatile.Read(ref _hits);

        public void Hit() => Interlocked.Increment(ref _hits);

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
