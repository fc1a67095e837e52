using System.Globalization;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.Oidc;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// The tenant's issuer down (discovery and JWKS answering 503). With its keys cached by the vend function, callers are
/// served as before; with none cached, they get 503 with Retry-After, never a 401 for a token that may well be good
/// (docs/decisions.md "Identity"). Each test has an issuer of its own, so no other test's cache state counts.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class JwksOutageTests(LocalCloud cloud) : IAsyncLifetime
{
    private DevelopmentIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await DevelopmentIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task With_the_keys_cached_the_issuer_being_down_changes_nothing()
    {
        var tenant = await OnboardAsync();
        var warm = await cloud.SendSeenAsync(Requests.Vend(tenant, Token(tenant, "alice")));
        Assert.True(warm.Status == 200, warm.ToString());
        _issuer.JwksDown = true;
        var fetches = _issuer.JwksFetchCount + _issuer.DiscoveryFetchCount;

        var answers = new List<Answer>();
        foreach (var subject in new[] { "bob", "carol", "dave" })
        {
            answers.Add(await cloud.SendSeenAsync(Requests.Vend(tenant, Token(tenant, subject))));
        }

        Assert.All(answers, a => Assert.True(a.Status == 200, a.ToString()));
        Assert.Equal(fetches, _issuer.JwksFetchCount + _issuer.DiscoveryFetchCount);
        await cloud.AssertHoldsExactlyAsync(tenant, [warm, .. answers]);
    }

    [Fact]
    public async Task With_no_keys_cached_the_issuer_being_down_is_503_with_retry_after_and_then_it_recovers()
    {
        var tenant = await OnboardAsync();
        _issuer.JwksDown = true;

        var refused = await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, Token(tenant, "alice")), 503, "unavailable");

        Assert.Null(refused.Header("www-authenticate"));
        var retryAfter = int.Parse(refused.Header("retry-after")!, CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 5);

        // A client that honours Retry-After, once the issuer is back, is served.
        _issuer.JwksDown = false;
        await Task.Delay(TimeSpan.FromSeconds(retryAfter + 0.5));
        var served = await cloud.SendSeenAsync(Requests.Vend(tenant, Token(tenant, "alice")));
        Assert.True(served.Status == 200, served.ToString());
        await cloud.AssertHoldsExactlyAsync(tenant, [refused, served]);
    }

    [Fact]
    public async Task A_flood_of_callers_during_the_outage_costs_the_issuer_one_fetch_per_retry_interval()
    {
        var tenant = await OnboardAsync();
        _issuer.JwksDown = true;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 5; i++)
        {
            await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, Token(tenant, $"user{i}")), 503, "unavailable");
        }

        // One discovery fetch, and one more for each 5 s retry interval the calls took (the JWKS is never reached while
        // discovery is down): not one fetch per caller.
        Assert.InRange(_issuer.DiscoveryFetchCount, 1, 1 + (int)(clock.Elapsed.TotalSeconds / 5));
    }

    [Fact]
    public async Task A_hostile_token_during_the_outage_is_still_401_when_no_fetch_is_needed_to_refuse_it()
    {
        var tenant = await OnboardAsync();
        _issuer.JwksDown = true;
        var token = HostileTokens.Make("alg none", _issuer, cloud.Issuer, tenant);

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, token), 401, "invalid_token");
        Assert.Equal(0, _issuer.DiscoveryFetchCount);
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);

    private Task<string> OnboardAsync() => cloud.OnboardAsync(change: d => d["identity"]!["issuer"] = _issuer.Issuer);

    private string Token(string tenant, string subject) => _issuer.IssueToken(new TokenRequest
    {
        Subject = subject,
        Claims = new Dictionary<string, object> { ["tenant"] = tenant, ["groups"] = Array.Empty<string>() },
    });
}
