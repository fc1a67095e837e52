using CredentialVending.Common;
using CredentialVending.Local.Oidc;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Identity;

public sealed class TokenAuthenticatorTests
{
    [Fact]
    public async Task A_valid_token_answers_the_caller_with_its_claims()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Token("alice", new Dictionary<string, object> { ["groups"] = new[] { "editors", "admins" } });

        var outcome = await h.AuthenticateAsync(token);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
        var caller = outcome.Value!;
        Assert.Equal("acme", caller.TenantId);
        Assert.Equal(h.Issuer.Issuer, caller.Issuer);
        Assert.Equal("alice", caller.Subject);
        Assert.Equal(token, caller.RawToken);
        Assert.Equal(["editors", "admins"], caller.Claims.GetValues("groups"));
        Assert.DoesNotContain(token, caller.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    public async Task Every_allowed_algorithm_is_accepted(string algorithm)
    {
        await using var h = await IdentityHarness.StartAsync();

        var outcome = await h.AuthenticateAsync(h.Token(algorithm: algorithm));

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
    }

    [Theory]
    [InlineData("bearer ")]
    [InlineData("BEARER ")]
    [InlineData("Bearer   ")]
    public async Task The_bearer_scheme_is_matched_whatever_its_case(string prefix)
    {
        await using var h = await IdentityHarness.StartAsync();

        var outcome = await h.Authenticator.AuthenticateAsync(prefix + h.Token(), h.Tenant, CancellationToken.None);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Bearerabc.def.ghi")]
    [InlineData("Bearer abc def")]
    public async Task A_header_without_one_bearer_token_is_refused_without_a_fetch(string? header)
    {
        await using var h = await IdentityHarness.StartAsync();

        var outcome = await h.Authenticator.AuthenticateAsync(header, h.Tenant, CancellationToken.None);

        Assert.Equal(Codes.InvalidToken, outcome.Refusal?.Code);
        Assert.Equal(0, h.Issuer.DiscoveryFetchCount);
    }

    [Fact]
    public async Task Keys_are_fetched_once_for_many_tokens()
    {
        await using var h = await IdentityHarness.StartAsync();

        for (var i = 0; i < 5; i++)
        {
            Assert.False((await h.AuthenticateAsync(h.Token($"user{i}", algorithm: i % 2 == 0 ? "RS256" : "ES256"))).IsRefused);
        }

        Assert.Equal(1, h.Issuer.DiscoveryFetchCount);
        Assert.Equal(1, h.Issuer.JwksFetchCount);
    }

    [Fact]
    public async Task A_wrong_audience_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", Audiences = ["someone-else"] });

        var outcome = await h.AuthenticateAsync(token);

        Assert.Equal(Codes.InvalidToken, outcome.Refusal?.Code);
        Assert.Contains("audience", outcome.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_matching_audience_among_several_is_enough()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.IssueToken(new TokenRequest { Subject = "alice", Audiences = ["other", IdentityTenants.Audience] });

        Assert.False((await h.AuthenticateAsync(token)).IsRefused);
    }

    [Fact]
    public async Task A_cognito_access_token_is_matched_on_its_client_id()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.IssueToken(new TokenRequest
        {
            Subject = "alice",
            Audiences = [],
            Claims = new Dictionary<string, object> { ["client_id"] = IdentityTenants.Audience, ["token_use"] = "access" },
        });

        var outcome = await h.AuthenticateAsync(token);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
    }

    [Fact]
    public async Task A_client_id_of_another_app_is_refused()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.IssueToken(new TokenRequest
        {
            Subject = "alice",
            Audiences = [],
            Claims = new Dictionary<string, object> { ["client_id"] = "another-app" },
        });

        Assert.Equal(Codes.InvalidToken, (await h.AuthenticateAsync(token)).Refusal?.Code);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_even_with_our_client_id()
    {
        await using var h = await IdentityHarness.StartAsync();
        var token = h.Issuer.IssueToken(new TokenRequest
        {
            Subject = "alice",
            Audiences = ["another-api"],
            Claims = new Dictionary<string, object> { ["client_id"] = IdentityTenants.Audience },
        });

        Assert.Equal(Codes.InvalidToken, (await h.AuthenticateAsync(token)).Refusal?.Code);
    }

    [Fact]
    public async Task A_token_of_another_tenant_is_a_tenant_mismatch()
    {
        await using var h = await IdentityHarness.StartAsync();
        h.Tenant = IdentityTenants.For(h.Issuer.Issuer, tenantClaim: "tenant");

        var other = await h.AuthenticateAsync(h.Token(claims: new Dictionary<string, object> { ["tenant"] = "globex" }));
        var none = await h.AuthenticateAsync(h.Token());
        var own = await h.AuthenticateAsync(h.Token(claims: new Dictionary<string, object> { ["tenant"] = "acme" }));

        Assert.Equal(Codes.TenantMismatch, other.Refusal?.Code);
        Assert.Equal(Codes.TenantMismatch, none.Refusal?.Code);
        Assert.False(own.IsRefused, own.Refusal?.Detail);
    }

    [Fact]
    public async Task The_subject_comes_from_the_tenants_subject_claim()
    {
        await using var h = await IdentityHarness.StartAsync();
        h.Tenant = IdentityTenants.For(h.Issuer.Issuer, subjectClaim: "email");

        var named = await h.AuthenticateAsync(h.Token("alice", new Dictionary<string, object> { ["email"] = "alice@example.com" }));
        var missing = await h.AuthenticateAsync(h.Token("alice"));

        Assert.Equal("alice@example.com", named.Value?.Subject);
        Assert.Equal(Codes.InvalidToken, missing.Refusal?.Code);
    }

    [Fact]
    public async Task A_loopback_http_issuer_is_refused_without_the_flag_and_never_fetched()
    {
        await using var h = await IdentityHarness.StartAsync();

        var outcome = await h.Create(allowInsecureLoopback: false).AuthenticateAsync("Bearer " + h.Token(), h.Tenant, CancellationToken.None);

        Assert.Equal(Codes.InvalidToken, outcome.Refusal?.Code);
        Assert.Contains("https", outcome.Refusal!.Detail, StringComparison.Ordinal);
        Assert.Equal(0, h.Issuer.DiscoveryFetchCount);
    }
}
