using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// examples/web in a real browser, served from its own origin: CORS (the preflight the Authorization header causes, then
/// the call) lets it through from the allowed origin only, and the page asks again before its credentials expire.
/// </summary>
[Collection(ClientsCollection.Name)]
public sealed class WebPageTests(ClientsCloud cloud, ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>, IAsyncLifetime
{
    private const float Timeout = 30_000;
    private readonly ConcurrentQueue<string> _console = new();
    private readonly ConcurrentQueue<IResponse> _credentialAnswers = new();
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        (_context, _page) = await chromium.NewPageAsync(_console);
        _page.Response += (_, response) =>
        {
            if (response.Request.Method == "POST" && response.Url.Contains("/credentials", StringComparison.Ordinal))
            {
                _credentialAnswers.Enqueue(response);
            }
        };
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task From_the_allowed_origin_the_page_shows_a_lease_and_asks_again_before_it_expires()
    {
        var subject = ClientsCloud.NewSubject("web");

        // Leases last 900 s; a margin of 896 s makes the page's refresh timer fire about 4 s after the first answer.
        await _page.GotoAsync($"{cloud.Page.Url}index.html?api={cloud.Api}&tenant={ClientsCloud.Tenant}&sub={subject}&refreshMargin=896");
        await WaitAsync("document.querySelectorAll('#log li').length >= 2");

        Assert.Equal(string.Empty, await TextAsync("#error"));
        var leases = await cloud.LeasesOfAsync(subject);
        Assert.Equal(2, leases.Count);
        var newest = leases[0]!;
        Assert.Equal(newest["leaseId"]!.GetValue<string>(), await TextAsync("#lease"));
        Assert.Equal(Instant(newest["expiresAt"]!.GetValue<string>()), Instant(await TextAsync("#expires")));
        Assert.Equal("2", await TextAsync("#requests"));
        var log = await _page.Locator("#log li").AllTextContentsAsync();
        Assert.All(leases, lease => Assert.Contains(log, line => line.Contains($"lease {lease!["leaseId"]} until", StringComparison.Ordinal)));

        // The browser sent each POST only after a preflight that allowed it, and the answers name the page's origin.
        Assert.Equal(2, _credentialAnswers.Count);
        foreach (var answer in _credentialAnswers)
        {
            Assert.Equal(200, answer.Status);
            Assert.Equal(cloud.Page.Origin, await answer.HeaderValueAsync("access-control-allow-origin"));
        }
    }

    [Theory]
    [InlineData(true, "credentials request failed: ")]
    [InlineData(false, "token request failed: ")]
    public async Task From_an_origin_cors_does_not_allow_the_fetch_fails_and_no_lease_is_made(bool signedIn, string failedStep)
    {
        var subject = ClientsCloud.NewSubject("evil");

        // Signed in: the token comes in the fragment, so the first cross-origin call is the credentials POST itself.
        var fragment = signedIn ? "#access_token=" + await cloud.TokenAsync(subject) : string.Empty;
        await _page.GotoAsync($"{cloud.OtherPage.Url}index.html?api={cloud.Api}&tenant={ClientsCloud.Tenant}&sub={subject}{fragment}");
        await WaitAsync("document.body.dataset.state === 'error'");

        var error = await TextAsync("#error");
        Assert.StartsWith(failedStep, error, StringComparison.Ordinal);
        Assert.Contains("Failed to fetch", error, StringComparison.Ordinal);
        Assert.Equal("-", await TextAsync("#lease"));
        Assert.Empty(_credentialAnswers);
        Assert.Empty(await cloud.LeasesOfAsync(subject));
        Assert.Contains(_console, line => line.Contains("CORS policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refusal_reaches_the_page_with_its_problem_code_and_the_page_stops_asking()
    {
        var subject = ClientsCloud.NewSubject("web");

        await _page.GotoAsync($"{cloud.Page.Url}index.html?api={cloud.Api}&tenant={ClientsCloud.Tenant}&sub={subject}&scopes=files:write");
        await WaitAsync("document.body.dataset.state === 'error'");

        Assert.StartsWith("credentials request failed: HTTP 403 scope_not_permitted: ", await TextAsync("#error"), StringComparison.Ordinal);
        Assert.Equal("none: the service refused", await TextAsync("#next-refresh"));
        Assert.Empty(await cloud.LeasesOfAsync(subject));
    }

    private async Task WaitAsync(string condition)
    {
        try
        {
            await _page.WaitForFunctionAsync($"() => {condition}", null, new PageWaitForFunctionOptions { Timeout = Timeout });
        }
        catch (PlaywrightException e)
        {
            var log = string.Join('\n', await _page.Locator("#log li").AllTextContentsAsync());
            throw new System.TimeoutException($"{condition} never held.\nPage log:\n{log}\nConsole:\n{string.Join('\n', _console)}", e);
        }
    }

    private async Task<string> TextAsync(string selector) => (await _page.Locator(selector).TextContentAsync() ?? string.Empty).Trim();

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
