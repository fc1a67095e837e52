using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CredentialVending.Local.Tests.ApiGateway;

/// <summary>What the API Gateway emulator hands a function, and how it writes the function's answer back.</summary>
public sealed class ApiGatewayEventTests(EchoGateway echo) : IClassFixture<EchoGateway>
{
    [Fact]
    public async Task A_request_becomes_a_payload_2_0_event_of_the_template_route()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants/acme/credentials?format=json&scopes=a&scopes=b%2Cc")
        {
            Content = new StringContent("{\"durationSeconds\":900}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Custom-Header", "One");
        request.Headers.UserAgent.ParseAdd("credvend-tests/1.0");
        request.Headers.Add("Cookie", "a=1; b=2");
        var before = DateTimeOffset.UtcNow;

        using var response = await echo.Http.SendAsync(request);
        var evt = await EchoGateway.EventOf(response);

        Assert.Equal("2.0", evt.GetProperty("version").GetString());
        Assert.Equal("POST /v1/tenants/{tenantId}/credentials", evt.GetProperty("routeKey").GetString());
        Assert.Equal("/v1/tenants/acme/credentials", evt.GetProperty("rawPath").GetString());
        Assert.Equal("format=json&scopes=a&scopes=b%2Cc", evt.GetProperty("rawQueryString").GetString());
        Assert.Equal("a,b,c", evt.GetProperty("queryStringParameters").GetProperty("scopes").GetString());
        Assert.Equal("acme", evt.GetProperty("pathParameters").GetProperty("tenantId").GetString());
        var headers = evt.GetProperty("headers");
        Assert.Equal("One", headers.GetProperty("x-custom-header").GetString());
        Assert.All(headers.EnumerateObject(), h => Assert.Equal(h.Name.ToLowerInvariant(), h.Name));
        Assert.False(headers.TryGetProperty("cookie", out _));
        Assert.Equal(["a=1", "b=2"], evt.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.False(evt.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("{\"durationSeconds\":900}", evt.GetProperty("body").GetString());
        var context = evt.GetProperty("requestContext");
        var http = context.GetProperty("http");
        Assert.Equal(("POST", "/v1/tenants/acme/credentials", "HTTP/1.1", "127.0.0.1", "credvend-tests/1.0"),
            (http.GetProperty("method").GetString(), http.GetProperty("path").GetString(), http.GetProperty("protocol").GetString(),
             http.GetProperty("sourceIp").GetString(), http.GetProperty("userAgent").GetString()));
        Assert.Equal(response.Headers.GetValues("apigw-requestid").Single(), context.GetProperty("requestId").GetString());
        Assert.Equal("POST /v1/tenants/{tenantId}/credentials", context.GetProperty("routeKey").GetString());
        var epoch = DateTimeOffset.FromUnixTimeMilliseconds(context.GetProperty("timeEpoch").GetInt64());
        Assert.InRange(epoch, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(epoch.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture), context.GetProperty("time").GetString());
        Assert.False(context.TryGetProperty("authorizer", out _));
    }

    [Fact]
    public async Task A_binary_body_reaches_the_function_in_base64()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await echo.Http.PostAsync("/v1/tenants/acme/decode", content);
        var evt = await EchoGateway.EventOf(response);

        Assert.True(evt.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(Convert.ToBase64String(bytes), evt.GetProperty("body").GetString());
    }

    [Fact]
    public async Task The_answer_sets_status_headers_cookies_and_the_base64_decoded_body()
    {
        using var response = await echo.Http.GetAsync("/v1/tenants/acme/leases");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["session=abc; Path=/; HttpOnly", "theme=dark"], response.Headers.GetValues("Set-Cookie"));
        var evt = await EchoGateway.EventOf(response);
        Assert.Equal("GET /v1/tenants/{tenantId}/leases", evt.GetProperty("routeKey").GetString());
        Assert.False(evt.TryGetProperty("body", out _));
    }

    [Fact]
    public async Task A_path_parameter_comes_decoded_and_the_raw_path_as_sent()
    {
        using var response = await echo.Http.GetAsync("/v1/tenants/acme/leases/a%20b");
        var evt = await EchoGateway.EventOf(response);

        Assert.Equal("GET /v1/tenants/{tenantId}/leases/{leaseId}", evt.GetProperty("routeKey").GetString());
        Assert.Equal("a b", evt.GetProperty("pathParameters").GetProperty("leaseId").GetString());
        Assert.Equal("/v1/tenants/acme/leases/a%20b", evt.GetProperty("rawPath").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/nothing/here")]
    [InlineData("DELETE", "/v1/tenants/acme/credentials")]
    [InlineData("GET", "/v1/tenants/acme/credentials/extra")]
    [InlineData("GET", "/v1/tenants//credentials")]
    [InlineData("POST", "/")]
    public async Task A_route_not_in_the_template_is_404_not_found_from_the_gateway_itself(string method, string path)
    {
        using var response = await echo.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("x-echo"));
        Assert.Equal("Not Found", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
    }
}
