using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Oidc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CredentialVending.Local.Tests.Oidc;

public sealed class TokenEndpointTests
{
    [Fact]
    public async Task Token_carries_tenant_subject_groups_and_times()
    {
        await using var issuer = await DevelopmentIssuer.StartAsync();
        using var http = new HttpClient();

        using var answer = JsonDocument.Parse(await http.GetStringAsync(issuer.Issuer + "/_local/token?tenant=acme&sub=alice&groups=admins,editors"));

        Assert.Equal("Bearer", answer.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(3600, answer.RootElement.GetProperty("expires_in").GetInt32());
        var jwt = new JsonWebToken(answer.RootElement.GetProperty("access_token").GetString());
        Assert.Equal((issuer.Issuer, "alice", "acme"), (jwt.Issuer, jwt.Subject, jwt.GetPayloadValue<string>("tenant")));
        Assert.Equal(["admins", "editors"], jwt.GetPayloadValue<string[]>("groups"));
        Assert.Equal(["credvend-local"], jwt.Audiences);
        Assert.All(["iat", "nbf", "exp"], name => Assert.True(jwt.TryGetPayloadValue<long>(name, out _), name));
    }

    [Fact]
    public async Task Audience_and_algorithm_can_be_chosen()
    {
        await using var issuer = await DevelopmentIssuer.StartAsync();
        using var http = new HttpClient();

        using var answer = JsonDocument.Parse(await http.GetStringAsync(issuer.Issuer + "/_local/token?sub=bob&aud=4kq0example&alg=ES384"));

        var jwt = new JsonWebToken(answer.RootElement.GetProperty("access_token").GetString());
        Assert.Equal(["4kq0example"], jwt.Audiences);
        Assert.Equal("ES384", jwt.Alg);
        Assert.Empty(jwt.GetPayloadValue<string[]>("groups"));
        Assert.False(jwt.TryGetPayloadValue<string>("tenant", out _));
    }

    [Theory]
    [InlineData("?tenant=acme")]
    [InlineData("?sub=alice&alg=HS256")]
    public async Task Bad_requests_are_refused(string query)
    {
        await using var issuer = await DevelopmentIssuer.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(issuer.Issuer + "/_local/token" + query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Callers_off_loopback_are_refused()
    {
        var issuer = DevelopmentIssuer.CreateMounted("http://127.0.0.1:5005");
        await using var app = LoopbackWebApp.CreateBuilder().Build();
        issuer.MapEndpoints(app);
        var token = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == "/_local/token");
        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.20.30.40");
        context.Request.QueryString = new QueryString("?sub=alice");
        context.Response.Body = new MemoryStream();

        await token.RequestDelegate!(context);

        Assert.Equal(403, context.Response.StatusCode);
    }

    [Fact]
    public async Task Mounted_issuer_answers_under_its_path_on_another_app_and_its_token_shortcut_at_the_root_too()
    {
        var port = FreePort();
        var issuer = DevelopmentIssuer.CreateMounted($"http://127.0.0.1:{port}/oidc");
        await using var app = LoopbackWebApp.CreateBuilder(port).Build();
        issuer.MapEndpoints(app);
        await LoopbackWebApp.StartAsync(app);
        using var http = new HttpClient();

        using var discovery = JsonDocument.Parse(await http.GetStringAsync(issuer.Issuer + "/.well-known/openid-configuration"));
        using var answer = JsonDocument.Parse(await http.GetStringAsync(issuer.Issuer + "/_local/token?sub=carol"));
        using var atRoot = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/_local/token?sub=dave"));
        using var rootDiscovery = await http.GetAsync($"http://127.0.0.1:{port}/.well-known/openid-configuration");

        Assert.Equal($"http://127.0.0.1:{port}/oidc", discovery.RootElement.GetProperty("issuer").GetString());
        Assert.Equal($"http://127.0.0.1:{port}/oidc/.well-known/jwks.json", discovery.RootElement.GetProperty("jwks_uri").GetString());
        Assert.Equal(issuer.Issuer, new JsonWebToken(answer.RootElement.GetProperty("access_token").GetString()).Issuer);
        Assert.Equal(issuer.Issuer, new JsonWebToken(atRoot.RootElement.GetProperty("access_token").GetString()).Issuer);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, rootDiscovery.StatusCode);
        await issuer.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
