using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Local;

/// <summary>The run command as a user runs it: start, follow the printed steps, Ctrl-C, start again.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "credvend-run-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_run_command_serves_the_printed_steps_stops_its_children_on_ctrl_c_and_keeps_the_demo_tenant()
    {
        var port = LoopbackWebApp.FreePort();
        var api = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { BaseAddress = new Uri(api) };

        // First start: a new data folder, so the demo tenant is created.
        await using (var first = await RunCommandProcess.StartAsync(port, _folder))
        {
            Assert.Contains(first.Lines, l => l.Contains("demo tenant created (version 1)", StringComparison.Ordinal));
            Assert.Contains(first.Lines, l => l.Contains("demo SAML tenant created (version 1)", StringComparison.Ordinal));
            Assert.Contains(first.Lines, l => l.Contains($"curl -s '{api}/_local/saml?tenant=demo-saml&sub=carol&groups=admins,editors' | curl -s -X POST {api}/v1/tenants/demo-saml/credentials", StringComparison.Ordinal));
            Assert.Contains("entityID=\"urn:credential-vending:local-dev-idp\"", await http.GetStringAsync("/_local/saml/metadata"), StringComparison.Ordinal);

            // The browser's sign-in: the page the screen prints, its form posted as a browser posts it.
            var page = await http.GetStringAsync(first.Lines.Single(l => l.Contains("&format=form", StringComparison.Ordinal)).Trim());
            var action = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "action=\"([^\"]+)\"").Groups[1].Value);
            var fields = System.Text.RegularExpressions.Regex.Matches(page, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
                .Select(m => KeyValuePair.Create(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
            using (var signIn = await http.PostAsync(action, new FormUrlEncodedContent(fields)))
            {
                var body = await signIn.Content.ReadAsStringAsync();
                Assert.True(signIn.StatusCode == HttpStatusCode.OK, body);
                Assert.EndsWith("/carol", JsonDocument.Parse(body).RootElement.GetProperty("assumedRoleArn").GetString(), StringComparison.Ordinal);
            }
            Assert.Contains(first.Lines, l => l.Contains("IAM emulator", StringComparison.Ordinal) && l.Contains("http://127.0.0.1:", StringComparison.Ordinal));
            Assert.Contains(first.Lines, l => l.Contains("brokered demo tenant created (version 1)", StringComparison.Ordinal));
            Assert.Contains(first.Lines, l => l.Contains("KMS emulator", StringComparison.Ordinal) && l.Contains("alias/credential-vending-broker", StringComparison.Ordinal));
            Assert.Contains(first.Lines, l => l.Contains("/v1/tenants/demo-brokered/credentials", StringComparison.Ordinal) && l.Contains("\"durationSeconds\":7200", StringComparison.Ordinal));
            var firstLease = RunCommandProcess.Between(first.Lines.Single(l => l.Contains("a first lease ", StringComparison.Ordinal)), "a first lease ", " ");

            // 1. The token, as the screen's curl gets it.
            var token = await http.GetFromJsonAsync<JsonElement>("/_local/token?tenant=demo&sub=alice&groups=admins,editors");
            Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
            var bearer = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());

            // 2. Credentials in each format.
            var json = await SendAsync(first, http, HttpMethod.Post, "/v1/tenants/demo/credentials", bearer);
            Assert.StartsWith("ASIA", json.GetProperty("credentials").GetProperty("accessKeyId").GetString(), StringComparison.Ordinal);
            var process = await SendAsync(first, http, HttpMethod.Post, "/v1/tenants/demo/credentials?format=credential_process", bearer, "{\"scopes\":[\"files:read\",\"files:write\"]}");
            Assert.Equal(1, process.GetProperty("Version").GetInt32());
            var container = await SendAsync(first, http, HttpMethod.Get, "/v1/tenants/demo/credentials?format=container", bearer);
            Assert.Contains("assumed-role/demo-tenant/", container.GetProperty("RoleArn").GetString(), StringComparison.Ordinal);

            // 3. Decode: the printed helper URL's answer, piped into the decode route.
            var helper = RunCommandProcess.Between(first.Lines.Single(l => l.Contains("/_local/encoded-failure?", StringComparison.Ordinal)), "'", "'");
            var encoded = await http.GetStringAsync(helper);
            var decoded = await SendAsync(first, http, HttpMethod.Post, "/v1/tenants/demo/decode", bearer, encoded);
            Assert.Equal(firstLease, decoded.GetProperty("summary").GetProperty("leaseId").GetString());

            // 4. The leases: the first one and the three above.
            var leases = await SendAsync(first, http, HttpMethod.Get, "/v1/tenants/demo/leases?limit=5", bearer);
            Assert.Equal(4, leases.GetProperty("items").GetArrayLength());

            // 5. Revoke the first lease, as the screen's curl does: 202, and the lease shows it.
            Assert.Contains(first.Lines, l => l.Contains($"/v1/tenants/demo/leases/{firstLease}/revoke", StringComparison.Ordinal));
            var revoked = await SendAsync(first, http, HttpMethod.Post, $"/v1/tenants/demo/leases/{firstLease}/revoke", bearer, "{\"reason\":\"demo\"}", HttpStatusCode.Accepted);
            var lease = await SendAsync(first, http, HttpMethod.Get, $"/v1/tenants/demo/leases/{firstLease}", bearer);
            Assert.Equal(revoked.GetProperty("revocationId").GetString(), lease.GetProperty("revocationId").GetString());

            // Ctrl-C: every child goes, the run ends cleanly.
            var children = first.ChildProcessIds();
            Assert.Equal(6, children.Count);
            Assert.All(first.Lines.Where(l => l.StartsWith("• child process ", StringComparison.Ordinal)), l => Assert.Contains(int.Parse(RunCommandProcess.Between(l, "process ", " "), System.Globalization.CultureInfo.InvariantCulture), children));
            Assert.Equal(0, await first.InterruptAsync());
            Assert.All(children, pid => Assert.False(RunCommandProcess.IsAlive(pid), $"child process {pid} outlived the run command"));
            Assert.Contains(first.Lines, l => l.StartsWith("• stopped; the data stays in", StringComparison.Ordinal));
        }

        // Second start on the same data: the demo tenant is found, not made again.
        await using var second = await RunCommandProcess.StartAsync(port, _folder);
        Assert.Contains(second.Lines, l => l.Contains("demo tenant kept (version 1)", StringComparison.Ordinal));
        Assert.Contains(second.Lines, l => l.Contains("demo SAML tenant kept (version 1)", StringComparison.Ordinal));
        Assert.Contains(second.Lines, l => l.Contains("brokered demo tenant kept (version 1)", StringComparison.Ordinal));
        Assert.Equal(0, await second.InterruptAsync());
    }

    private static async Task<JsonElement> SendAsync(RunCommandProcess run, HttpClient http, HttpMethod method, string path, AuthenticationHeaderValue bearer, string? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Headers = { Authorization = bearer } };
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}\nThe run command printed:\n{string.Join('\n', run.Lines.TakeLast(30))}");
        return JsonDocument.Parse(text).RootElement;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
