using CredentialVending.Common;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Oidc;
using CredentialVending.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CredentialVending.Tests.Identity;

/// <summary>Discovery documents that must not be followed: each leaves the service without keys, so 503.</summary>
public sealed class JwksFetcherTests
{
    [Theory]
    [InlineData("""{"issuer":"{ISSUER}","jwks_uri":"http://issuer.example.com/jwks"}""")]
    [InlineData("""{"issuer":"https://other.example.com","jwks_uri":"{ISSUER}/.well-known/jwks.json"}""")]
    [InlineData("""{"issuer":"{ISSUER}"}""")]
    [InlineData("""["not", "an", "object"]""")]
    [InlineData("""not json""")]
    public async Task An_unusable_discovery_document_leaves_the_service_unavailable(string document)
    {
        var builder = LoopbackWebApp.CreateBuilder();
        await using var app = builder.Build();
        string? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(document.Replace("{ISSUER}", issuer, StringComparison.Ordinal), "application/json"));
        issuer = (await LoopbackWebApp.StartAsync(app)).GetLeftPart(UriPartial.Authority);
        await using var keys = await IdentityHarness.StartAsync();
        keys.Tenant = IdentityTenants.For(issuer);
        var token = keys.Issuer.IssueToken(new TokenRequest { Subject = "alice", Issuer = issuer });

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(() => keys.AuthenticateAsync(token));

        Assert.DoesNotContain(token, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_issuer_is_given_up_on_after_the_fetch_timeout()
    {
        var builder = LoopbackWebApp.CreateBuilder();
        await using var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return Results.Ok();
        });
        var issuer = (await LoopbackWebApp.StartAsync(app)).GetLeftPart(UriPartial.Authority);
        await using var keys = await IdentityHarness.StartAsync();
        keys.Tenant = IdentityTenants.For(issuer);
        var token = keys.Issuer.IssueToken(new TokenRequest { Subject = "alice", Issuer = issuer });
        var started = DateTime.UtcNow;

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => keys.AuthenticateAsync(token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }
}
