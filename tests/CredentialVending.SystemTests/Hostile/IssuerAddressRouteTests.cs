using CredentialVending.SystemTests.Support;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Oidc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// A tenant's issuer that points the vend function at the Lambda Runtime API (where a GET of /next would take another
/// caller's invocation): the function never fetches it, and answers 503 unavailable, as for any issuer whose keys
/// cannot be had (docs/decisions.md "Identity"), with the reason in the log.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class IssuerAddressRouteTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_discovery_document_whose_jwks_uri_is_the_runtime_api_is_503_and_never_fetched()
    {
        var runtimeApi = (await cloud.FunctionAsync("vend")).RuntimeApiAddress;
        var discoveries = 0;
        var app = LoopbackWebApp.CreateBuilder().Build();
        await using var _ = app;
        app.MapGet("/.well-known/openid-configuration", (HttpContext c) =>
        {
            Interlocked.Increment(ref discoveries);
            return Results.Text($$"""{"issuer":"http://{{c.Request.Host}}","jwks_uri":"http://{{runtimeApi}}/2018-06-01/runtime/invocation/next"}""", "application/json");
        });
        var issuer = (await LoopbackWebApp.StartAsync(app)).GetLeftPart(UriPartial.Authority);
        var tenant = await cloud.OnboardAsync(change: d => d["identity"]!["issuer"] = issuer);
        var token = cloud.Issuer.IssueToken(new TokenRequest { Subject = "alice", Issuer = issuer, Claims = new Dictionary<string, object> { ["tenant"] = tenant } });

        var refused = await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, token), 503, "unavailable");

        Assert.Equal(1, discoveries);
        Assert.Contains("Runtime API", refused.Body, StringComparison.Ordinal);
        Assert.Contains(cloud.Logs, l => l.Contains("Runtime API", StringComparison.Ordinal));

        // The function still serves its own invocations: nothing took one from the Runtime API.
        var other = await cloud.OnboardAsync();
        var served = await cloud.SendSeenAsync(Requests.Vend(other, cloud.Token(other)));
        Assert.True(served.Status == 200, served.ToString());
        await cloud.AssertHoldsExactlyAsync(other, [served]);
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);
}
