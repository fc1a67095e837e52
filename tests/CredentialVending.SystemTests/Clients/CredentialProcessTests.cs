using System.Text.Json.Nodes;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Clients;

/// <summary>examples/credential-process, the helper a profile's credential_process runs: its output and its failures.</summary>
[Collection(ClientsCollection.Name)]
public sealed class CredentialProcessTests(ClientsCloud cloud) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("credvend-helper-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<ClientRun> HelperAsync(Dictionary<string, string> environment, params string[] arguments) =>
        ClientProcess.RunAsync(ClientTools.CredentialProcess, arguments, environment);

    [Fact]
    public async Task It_prints_version_1_credentials_of_a_new_lease_for_the_token_in_CREDVEND_TOKEN()
    {
        var subject = ClientsCloud.NewSubject("helper");
        var token = await cloud.TokenAsync(subject);

        var run = await HelperAsync(new() { ["CREDVEND_TOKEN"] = token }, "--url", cloud.Api, "--tenant", ClientsCloud.Tenant);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Stderr);
        var output = JsonNode.Parse(run.Stdout)!.AsObject();
        Assert.Equal(1, output["Version"]!.GetValue<int>());
        Assert.StartsWith("ASIA", output["AccessKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(output["SecretAccessKey"]!.GetValue<string>());
        Assert.NotEmpty(output["SessionToken"]!.GetValue<string>());
        var expiration = DateTimeOffset.Parse(output["Expiration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiration - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(13), TimeSpan.FromMinutes(16));
        var leases = await cloud.LeasesOfAsync(subject);
        Assert.Equal(output["AccessKeyId"]!.GetValue<string>(), Assert.Single(leases)!["accessKeyId"]!.GetValue<string>());
    }

    [Fact]
    public async Task It_reads_the_token_from_a_file_and_asks_for_the_scopes_and_duration_given()
    {
        var subject = ClientsCloud.NewSubject("helper");
        var file = Path.Combine(_folder, "token");
        await File.WriteAllTextAsync(file, await cloud.TokenAsync(subject, "editors") + "\n");

        var run = await HelperAsync(new() { ["CREDVEND_TOKEN"] = "not-this-one" },
            "--url", cloud.Api + "/", "--tenant", ClientsCloud.Tenant, "--scopes", "files:read,files:write", "--duration", "1800", "--token-file", file);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lease = Assert.Single(await cloud.LeasesOfAsync(subject))!;
        Assert.Equal(["files:read", "files:write"], lease["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(1800, lease["durationSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task Without_a_token_it_exits_2_and_says_where_a_token_goes()
    {
        var run = await HelperAsync([], "--url", cloud.Api, "--tenant", ClientsCloud.Tenant);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("no token", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("CREDVEND_TOKEN", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_token_file_exits_2_and_names_the_file()
    {
        var missing = Path.Combine(_folder, "missing-token");

        var run = await HelperAsync([], "--url", cloud.Api, "--tenant", ClientsCloud.Tenant, "--token-file", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains(missing, run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expired", null, "HTTP 401 invalid_token")]
    [InlineData("editor-only scope", "files:write", "HTTP 403 scope_not_permitted")]
    [InlineData("unknown scope", "files:delete", "HTTP 400 invalid_scope")]
    public async Task A_refusal_exits_1_with_the_problem_code_and_detail_and_never_the_token(string why, string? scopes, string expected)
    {
        var token = why == "expired"
            ? cloud.Host.Issuer.IssueToken(new CredentialVending.Local.Oidc.TokenRequest { Subject = "late", Lifetime = TimeSpan.FromMinutes(-10), Claims = new Dictionary<string, object> { ["tenant"] = ClientsCloud.Tenant } })
            : await cloud.TokenAsync(ClientsCloud.NewSubject("helper"));
        string[] arguments = ["--url", cloud.Api, "--tenant", ClientsCloud.Tenant, .. scopes is null ? Array.Empty<string>() : ["--scopes", scopes]];

        var run = await HelperAsync(new() { ["CREDVEND_TOKEN"] = token }, arguments);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(run.Stdout);
        Assert.Contains(expected + ": ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_service_exits_1_and_says_so()
    {
        var closed = $"http://127.0.0.1:{LoopbackWebApp.FreePort()}";

        var run = await HelperAsync(new() { ["CREDVEND_TOKEN"] = await cloud.TokenAsync("nobody") }, "--url", closed, "--tenant", ClientsCloud.Tenant, "--timeout", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains($"cannot reach {closed}/v1/tenants/demo/credentials", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_http_url_off_loopback_is_refused_before_the_token_is_sent()
    {
        // Refused before any connection, so no traffic leaves the machine.
        var run = await HelperAsync(new() { ["CREDVEND_TOKEN"] = "a-token" }, "--url", "http://credvend.example", "--tenant", ClientsCloud.Tenant);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("must be https unless it is on loopback", run.Stderr, StringComparison.Ordinal);
    }
}
