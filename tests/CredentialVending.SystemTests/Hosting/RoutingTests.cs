using System.Text;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.SystemTests.Hosting;

/// <summary>The bootstrap's front door, through the real executable and the loopback Runtime API.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class RoutingTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_path_the_function_does_not_serve_is_404_not_found()
    {
        var answer = await cloud.InvokeAsync("vend", HttpApiEvent.Create(new HttpApiRequest { Method = "GET", Path = "/v1/nothing/here" }, DateTimeOffset.UtcNow));

        Assert.Equal(404, answer.Status);
        Assert.Equal("not_found", answer.Code);
        Assert.Equal("application/problem+json", answer.Header("content-type"));
    }

    [Fact]
    public async Task A_known_path_with_another_method_is_405_method_not_allowed()
    {
        var answer = await cloud.SendAsync(new HttpApiRequest { Method = "DELETE", Path = "/v1/tenants/acme/credentials" });

        Assert.Equal(405, answer.Status);
        Assert.Equal("method_not_allowed", answer.Code);
    }

    [Fact]
    public async Task An_admin_path_sent_to_the_vend_function_is_404()
    {
        var answer = await cloud.InvokeAsync("vend", HttpApiEvent.Create(new HttpApiRequest { Method = "GET", Path = "/admin/tenants/acme" }, DateTimeOffset.UtcNow));

        Assert.Equal(404, answer.Status);
    }

    [Theory]
    [InlineData("{\"key1\":\"value1\",\"key2\":\"value2\"}")]
    [InlineData("{\"version\":\"1.0\",\"httpMethod\":\"GET\",\"path\":\"/v1/tenants/acme/credentials\"}")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    public async Task An_event_that_is_not_an_http_api_2_0_event_is_400_invalid_request(string payload)
    {
        var answer = await cloud.InvokeAsync("vend", Encoding.UTF8.GetBytes(payload));

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_request", answer.Code);
    }

    [Theory]
    [InlineData("{\"scopes\": [")]
    [InlineData("not json at all")]
    [InlineData("{\"scopes\": [\"a\"], \"scopes\": [\"b\"]}")]
    public async Task A_body_that_is_not_json_is_400_invalid_request(string body)
    {
        var answer = await cloud.SendAsync(Requests.Vend("acme", "x.y.z", body));

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_request", answer.Code);
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("requestId").GetString()));
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("")]
    public async Task An_unknown_handler_is_reported_as_an_init_error_and_the_process_exits_non_zero(string handler)
    {
        var environment = cloud.FunctionEnvironment();
        await using var function = await cloud.StartAsync(handler, environment);

        var result = await function.InvokeAsync(HttpApiEvent.Create(new HttpApiRequest { Method = "GET", Path = "/" }, DateTimeOffset.UtcNow));

        Assert.False(result.Succeeded);
        Assert.NotNull(function.InitError);
        Assert.Contains("_HANDLER", function.InitError, StringComparison.Ordinal);
        Assert.Contains("\"errorType\":\"Runtime.InvalidConfiguration\"", function.InitError, StringComparison.Ordinal);
        Assert.True(function.HasExited);
    }
}
