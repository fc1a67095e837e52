using System.Collections.Concurrent;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// Headless Debian chromium driven by Playwright: never a browser of Playwright's own (its download cannot work here),
/// and with the flags that keep chromium off the network (background updates, sync, component fetches), which this
/// machine's closed network would otherwise refuse many times over at every start.
/// </summary>
public sealed class ChromiumBrowser(IMessageSink diagnostics) : IAsyncLifetime
{
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = await ClientTools.ChromiumAsync(line =>
        {
            // Said where a developer sees it: installing a browser is not something a test run should do silently.
            Console.WriteLine(line);
            diagnostics.OnMessage(new DiagnosticMessage(line));
        });
        _playwright = await Playwright.CreateAsync();

        // Playwright makes a new empty profile (user data dir) for each launch by itself.
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = Flags });
    }

    /// <summary>A new context (an empty profile) with one page, whose console messages and page errors go to <paramref name="console"/>.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewPageAsync(ConcurrentQueue<string> console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Enqueue("page error: " + error);
        return (context, page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
