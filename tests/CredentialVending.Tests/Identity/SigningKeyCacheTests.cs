using CredentialVending.Common;
using CredentialVending.Local.Oidc;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Identity;

/// <summary>The issuer's keys: fetched once, refetched at most once a minute on an unknown kid, kept through an outage.</summary>
public sealed class SigningKeyCacheTests
{
    [Fact]
    public async Task An_unknown_kid_refetches_the_keys_at_most_once_a_minute()
    {
        await using var h = await IdentityHarness.StartAsync();
        Assert.False((await h.AuthenticateAsync(h.Token())).IsRefused);
        Assert.Equal(1, h.Issuer.JwksFetchCount);
        var stranger = h.Issuer.SignRaw(Header("unknown-kid"), Payload(h));

        // The first fetch was just now: the unknown kid waits for the minute to pass.
        Assert.Equal(Codes.InvalidToken, (await h.AuthenticateAsync(stranger)).Refusal?.Code);
        Assert.Equal(1, h.Issuer.JwksFetchCount);

        h.Clock.Advance(TimeSpan.FromSeconds(61));
        var refused = await h.AuthenticateAsync(stranger);
        Assert.Equal(Codes.InvalidToken, refused.Refusal?.Code);
        Assert.Contains("kid", refused.Refusal!.Detail, StringComparison.Ordinal);
        Assert.Equal(2, h.Issuer.JwksFetchCount);

        for (var i = 0; i < 10; i++)
        {
            await h.AuthenticateAsync(stranger);
        }

        Assert.Equal(2, h.Issuer.JwksFetchCount);
        h.Clock.Advance(TimeSpan.FromSeconds(61));
        await h.AuthenticateAsync(stranger);
        Assert.Equal(3, h.Issuer.JwksFetchCount);
    }

    [Fact]
    public async Task Rotated_keys_are_found_by_a_refetch()
    {
        await using var h = await IdentityHarness.StartAsync();
        Assert.False((await h.AuthenticateAsync(h.Token())).IsRefused);

        h.Issuer.RotateKeys();
        h.Clock.Advance(TimeSpan.FromSeconds(61));
        var outcome = await h.AuthenticateAsync(h.Token());

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
        Assert.Equal(2, h.Issuer.JwksFetchCount);
    }

    [Fact]
    public async Task Unreachable_keys_with_none_cached_are_unavailable_not_unauthorized()
    {
        await using var h = await IdentityHarness.StartAsync();
        h.Issuer.JwksDown = true;

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(() => h.AuthenticateAsync(h.Token()));

        Assert.True(failure.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Contains(h.Issuer.Issuer, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_issuer_that_comes_back_is_fetched_again_within_seconds()
    {
        await using var h = await IdentityHarness.StartAsync();
        h.Issuer.JwksDown = true;
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => h.AuthenticateAsync(h.Token()));
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => h.AuthenticateAsync(h.Token()));
        Assert.Equal(1, h.Issuer.DiscoveryFetchCount);

        h.Issuer.JwksDown = false;
        h.Clock.Advance(TimeSpan.FromSeconds(6));

        Assert.False((await h.AuthenticateAsync(h.Token())).IsRefused);
    }

    [Fact]
    public async Task Cached_keys_keep_serving_while_the_issuer_is_down()
    {
        await using var h = await IdentityHarness.StartAsync();
        Assert.False((await h.AuthenticateAsync(h.Token())).IsRefused);
        h.Issuer.JwksDown = true;

        // Past the keys' maximum age a refresh is tried, fails, and the held keys still answer.
        h.Clock.Advance(TimeSpan.FromHours(2));
        var outcome = await h.AuthenticateAsync(h.Token());

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
        Assert.Equal(2, h.Issuer.DiscoveryFetchCount);
    }

    [Fact]
    public async Task An_unknown_kid_while_the_issuer_is_down_is_unavailable()
    {
        await using var h = await IdentityHarness.StartAsync();
        Assert.False((await h.AuthenticateAsync(h.Token())).IsRefused);
        h.Issuer.JwksDown = true;
        h.Issuer.RotateKeys();
        h.Clock.Advance(TimeSpan.FromSeconds(61));

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => h.AuthenticateAsync(h.Token()));
    }

    [Fact]
    public async Task The_cache_is_keyed_by_issuer()
    {
        await using var first = await IdentityHarness.StartAsync();
        await using var second = await DevelopmentIssuer.StartAsync(new DevelopmentIssuerOptions { Time = first.Clock });
        var secondTenant = IdentityTenants.For(second.Issuer);

        Assert.False((await first.AuthenticateAsync(first.Token())).IsRefused);
        var outcome = await first.Authenticator.AuthenticateAsync(
            "Bearer " + second.IssueToken(new TokenRequest { Subject = "bob" }), secondTenant, CancellationToken.None);

        Assert.Equal("bob", outcome.Value?.Subject);
        Assert.Equal(1, second.JwksFetchCount);
    }

    private static string Header(string kid) => $$"""{"alg":"RS256","kid":"{{kid}}","typ":"JWT"}""";

    private static string Payload(IdentityHarness h)
    {
        var now = h.Clock.GetUtcNow().ToUnixTimeSeconds();
        return $$"""{"iss":"{{h.Issuer.Issuer}}","sub":"alice","aud":"{{IdentityTenants.Audience}}","iat":{{now}},"exp":{{now + 3600}}}""";
    }
}
