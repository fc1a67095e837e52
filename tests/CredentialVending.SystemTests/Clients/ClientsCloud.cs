using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// The run command's local service for clients nobody here wrote: <see cref="LocalCloudHost"/> with the demo tenant the
/// run command onboards, and examples/web served from two more loopback ports, one the only origin CORS allows
/// (<see cref="Page"/>), one not allowed (<see cref="OtherPage"/>). Tests reach it only over HTTP, as those clients do.
/// </summary>
public sealed class ClientsCloud : IAsyncLifetime
{
    public const string Tenant = DemoTenant.TenantId;
    public const string Account = "123456789012";

    public LocalCloudHost Host { get; private set; } = null!;
    public StaticSite Page { get; private set; } = null!;
    public StaticSite OtherPage { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>The API's base URL without a trailing slash, as a user writes it (<c>http://127.0.0.1:PORT</c>).</summary>
    public string Api => Host.ApiUrl.GetLeftPart(UriPartial.Authority);

    /// <summary>The first STS emulator, the one the vend function asks, and so the one that knows the sessions.</summary>
    public string Sts => Host.Sts[0].Endpoint.GetLeftPart(UriPartial.Authority);

    /// <summary>The demo tenant's role name, the middle of every assumed-role ARN it vends.</summary>
    public static string RoleName => DemoTenant.RoleArn[(DemoTenant.RoleArn.LastIndexOf('/') + 1)..];

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        var web = Path.Combine(RepositoryPaths.Root, "examples", "web");
        Page = await StaticSite.StartAsync(web);
        OtherPage = await StaticSite.StartAsync(web);
        Host = await LocalCloudHost.StartAsync(new LocalCloudOptions
        {
            BootstrapPath = LocalCloud.Bootstrap,
            TablePrefix = "clients-",
            AllowedOrigins = [Page.Origin],
            MaxConcurrency = 2,

            // As LocalCloud's: on a loaded machine the JIT bootstrap's first answer can take longer than the template's
            // 10 s, and the clients' tests check behaviour, never time.
            FunctionTimeout = LocalCloud.FunctionTimeout,
            FunctionLog = (function, line) => Logs.Enqueue($"[{function}] {line}"),
        });
        using (var admin = Host.CreateAdminClient())
        {
            await DemoTenant.EnsureAsync(admin, Host.Issuer.Issuer, CancellationToken.None);
        }

        Http = new HttpClient { BaseAddress = Host.ApiUrl };
    }

    /// <summary>A token from the development issuer's <c>/_local/token</c>, as the README tells a developer to get one.</summary>
    public async Task<string> TokenAsync(string subject, params string[] groups)
    {
        var query = $"_local/token?tenant={Tenant}&sub={Uri.EscapeDataString(subject)}&groups={string.Join(',', groups)}";
        var answer = JsonNode.Parse(await Http.GetStringAsync(query))!;
        return answer["access_token"]!.GetValue<string>();
    }

    /// <summary>A subject no other test uses, so that its leases are its own.</summary>
    public static string NewSubject(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A lease as the tenant's leases route answers it to an admin of the tenant, or null when there is none.</summary>
    public async Task<JsonObject?> LeaseAsync(string leaseId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/tenants/{Tenant}/leases/{leaseId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("auditor", "admins"));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET lease {leaseId}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Every lease of a subject, newest first.</summary>
    public async Task<JsonArray> LeasesOfAsync(string subject)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/tenants/{Tenant}/leases?subject={Uri.EscapeDataString(subject)}&limit=100");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("auditor", "admins"));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET leases of {subject}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["items"]!.AsArray();
    }

    /// <summary>
    /// What every SDK test checks of STS's answer: the ARN is the demo tenant's role with a lease id as its session name,
    /// that lease is in the ledger for <paramref name="subject"/>, and (when given) it is the lease of that access key.
    /// </summary>
    public async Task<JsonObject> AssertAssumedRoleAsync(string? arn, string subject, string? accessKeyId = null)
    {
        var match = System.Text.RegularExpressions.Regex.Match(arn ?? string.Empty, $"^arn:aws:sts::{Account}:assumed-role/{RoleName}/([0-9A-HJKMNP-TV-Z]{{26}})$");
        Assert.True(match.Success, $"Not the demo tenant's assumed role with a lease id: {arn}");
        var lease = await LeaseAsync(match.Groups[1].Value);
        Assert.NotNull(lease);
        Assert.Equal(arn, lease["assumedRoleArn"]!.GetValue<string>());
        Assert.Equal(subject, lease["subject"]!.GetValue<string>());
        if (accessKeyId is not null)
        {
            Assert.Equal(accessKeyId, lease["accessKeyId"]!.GetValue<string>());
        }

        return lease;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        foreach (var site in new[] { Page, OtherPage })
        {
            if (site is not null)
            {
                await site.DisposeAsync();
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClientsCollection : ICollectionFixture<ClientsCloud>
{
    public const string Name = "real clients";
}
