using System.Net;

namespace CredentialVending.Local.Tests.ApiGateway;

/// <summary>The template's CORS configuration, answered by the gateway as API Gateway answers it.</summary>
public sealed class ApiGatewayCorsTests(EchoGateway echo) : IClassFixture<EchoGateway>
{
    private static HttpRequestMessage Preflight(string origin, string path = "/v1/tenants/acme/credentials")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("http://localhost:5173")]
    public async Task A_preflight_from_an_allowed_origin_gets_the_template_cors_headers_from_the_gateway(string origin)
    {
        using var response = await echo.Http.SendAsync(Preflight(origin));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("x-echo"));
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET,POST,PUT,OPTIONS", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("authorization,content-type", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://app.example.com.evil.example")]
    [InlineData("http://localhost.evil.example")]
    public async Task A_preflight_from_another_origin_gets_no_cors_headers(string origin)
    {
        using var response = await echo.Http.SendAsync(Preflight(origin));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_answer_to_an_allowed_origin_carries_the_gateway_cors_headers_and_not_the_function_ones()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/acme/leases");
        request.Headers.Add("Origin", "https://app.example.com");

        using var response = await echo.Http.SendAsync(request);

        Assert.Equal("yes", Header(response, "x-echo"));
        Assert.Equal("https://app.example.com", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("etag,retry-after,www-authenticate", Header(response, "Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task An_answer_to_another_origin_carries_no_cors_header_even_when_the_function_sets_one()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/acme/leases");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await echo.Http.SendAsync(request);

        Assert.Equal("yes", Header(response, "x-echo"));
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_gateway_own_404_carries_cors_headers_for_an_allowed_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/nowhere");
        request.Headers.Add("Origin", "http://localhost:3001");

        using var response = await echo.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("http://localhost:3001", Header(response, "Access-Control-Allow-Origin"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(',', values) : null;
}
