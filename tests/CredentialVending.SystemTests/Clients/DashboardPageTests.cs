using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CredentialVending.Local.Dashboard;
using Microsoft.Playwright;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// The local cloud's <c>/_local/dashboard</c> in a real browser: what it shows comes from the EMF records and REPORT
/// lines the functions print, as they come, with no reload.
/// </summary>
[Collection(ClientsCollection.Name)]
public sealed class DashboardPageTests(ClientsCloud cloud, ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>, IAsyncLifetime
{
    private const float Timeout = 30_000;
    private readonly ConcurrentQueue<string> _console = new();
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync() => (_context, _page) = await chromium.NewPageAsync(_console);

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task The_dashboard_shows_three_vends_and_a_refusal_as_they_happen()
    {
        await _page.GotoAsync(cloud.Api + DashboardRoutes.Path);
        await WaitAsync("document.body.dataset.records !== undefined");
        var issued = await NumberAsync("#issued-total");
        var refused = await NumberAsync("#refused-total");
        var invalidTokens = await NumberAsync("#refusals tr[data-key='invalid_token'] td:nth-child(2)");

        var token = await cloud.TokenAsync(ClientsCloud.NewSubject("dash"));
        for (var i = 0; i < 3; i++)
        {
            var (status, body) = await VendAsync(token);
            Assert.True(status == HttpStatusCode.OK, $"vend {i + 1}: {(int)status} {body}\n{string.Join('\n', cloud.Logs.TakeLast(20))}");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await VendAsync("not-a-token")).Status);

        // The page polls; the figures reach it within a few polls of the functions' lines.
        await WaitAsync($"Number(document.querySelector('#issued-total').textContent) === {issued + 3}");
        await WaitAsync($"Number(document.querySelector('#refused-total').textContent) === {refused + 1}");
        Assert.Equal(invalidTokens + 1, await NumberAsync("#refusals tr[data-key='invalid_token'] td:nth-child(2)"));
        Assert.True(await NumberAsync("#cold-starts") >= 1, "the vend function's first process was a cold start");
        Assert.Contains("VendFunction", await _page.Locator("#cold-start-list").TextContentAsync() ?? string.Empty, StringComparison.Ordinal);
        Assert.True(await NumberAsync("#sts-latency tr[data-key='calls'] td:nth-child(2)") >= 3);
        Assert.True(await NumberAsync("#issued-per-minute tbody tr:last-child td:nth-child(2)") >= 1);
        Assert.DoesNotContain(_console, line => line.StartsWith("page error", StringComparison.Ordinal) || line.StartsWith("error", StringComparison.Ordinal));
    }

    private async Task<(HttpStatusCode Status, string Body)> VendAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/tenants/{ClientsCloud.Tenant}/credentials");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await cloud.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<double> NumberAsync(string selector)
    {
        var located = _page.Locator(selector);
        return await located.CountAsync() == 0 ? 0 : double.Parse((await located.TextContentAsync() ?? "0").Trim(), CultureInfo.InvariantCulture);
    }

    private async Task WaitAsync(string condition)
    {
        try
        {
            await _page.WaitForFunctionAsync($"() => {condition}", null, new PageWaitForFunctionOptions { Timeout = Timeout });
        }
        catch (PlaywrightException e)
        {
            var figures = await cloud.Http.GetStringAsync(DashboardRoutes.Path.TrimStart('/') + "/figures");
            throw new System.TimeoutException($"{condition} never held.\nFigures: {figures}\nConsole:\n{string.Join('\n', _console)}", e);
        }
    }
}
