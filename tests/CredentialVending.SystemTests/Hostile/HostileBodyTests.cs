using System.Text;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// Hostile bodies for POST .../credentials (docs/decisions.md: at most 64 KiB, nested at most 32 deep, no duplicate
/// keys, no unknown fields): each is the documented 4xx with nothing issued and nothing written. The shapes
/// Routes/VendRefusalTests covers (a string for scopes, a string or a fraction for durationSeconds, "scope", an array)
/// are not repeated here.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class HostileBodyTests(LocalCloud cloud)
{
    public static TheoryData<string> Malformed =>
    [
        "{", "}", "{\"scopes\":}", "{\"scopes\":[\"files:read\",]}", "{\"scopes\":[\"files:read\"],}", "{'scopes':['files:read']}",
        "{scopes:[\"files:read\"]}", "{\"scopes\":[\"files:read\"]} {}", "{\"scopes\":[\"files:read\"]}]", "nul", "tru", "\"unterminated",
        "{\"scopes\":[\"files:read\"] /* comment */}", "// comment\n{}", "{\"durationSeconds\":0x384}", "{\"durationSeconds\":NaN}",
        "{\"durationSeconds\":Infinity}", "{\"durationSeconds\":09}", "{\"durationSeconds\":+900}", "{\"scopes\":[\"\\ud800\"]}",
        "{\"\\ud800\":1}", "\u0000", "{\"scopes\":[\"files:read\u0001\"]}", "\ufeff\ufeff{}",
    ];

    public static TheoryData<string> WrongTypes =>
    [
        "null", "42", "\"files:read\"", "true", "{\"scopes\":null}", "{\"scopes\":[1]}", "{\"scopes\":[null]}", "{\"scopes\":[[\"files:read\"]]}",
        "{\"scopes\":{\"files:read\":true}}", "{\"durationSeconds\":null}", "{\"durationSeconds\":true}", "{\"durationSeconds\":[900]}",
        "{\"durationSeconds\":1e3}", "{\"durationSeconds\":900.0}", "{\"durationSeconds\":2147483648}", "{\"durationSeconds\":-2147483649}",
        "{\"durationSeconds\":99999999999999999999999999}",
    ];

    public static TheoryData<string> UnknownOrDuplicated =>
    [
        "{\"Scopes\":[\"files:read\"]}", "{\"scopes\":[\"files:read\"],\"format\":\"json\"}", "{\"__proto__\":{}}", "{\"\":1}",
        "{\"scopes\":[\"files:read\"],\"policy\":{\"Statement\":[]}}", "{\"durationSeconds\":900,\"roleArn\":\"arn:aws:iam::123456789012:role/admin\"}",
        "{\"scopes\":[\"files:read\"],\"scopes\":[\"files:write\"]}", "{\"durationSeconds\":900,\"durationSeconds\":3600}",
        "{\"scopes\":[\"files:read\"],\"scop\\u0065s\":[\"files:write\"]}",
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    [MemberData(nameof(WrongTypes))]
    [MemberData(nameof(UnknownOrDuplicated))]
    public async Task A_malformed_mistyped_unknown_or_duplicated_body_is_400_invalid_request(string body)
    {
        var tenant = await cloud.OnboardAsync();

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(tenant), body), 400, "invalid_request");
    }

    [Theory]
    [InlineData(32, "scopes must be")]
    [InlineData(33, "depth")]
    [InlineData(30_000, "depth")]
    public async Task Json_is_read_32_deep_and_no_deeper(int depth, string detail)
    {
        var tenant = await cloud.OnboardAsync();
        // The outer object and depth - 1 arrays: at 32 the body is read (and refused for what scopes holds), past it never read.
        var body = "{\"scopes\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";

        var answer = await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(tenant), body), 400, "invalid_request");

        Assert.Contains(detail, answer.Json.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Nesting_past_64_KiB_is_413_before_it_is_read()
    {
        var tenant = await cloud.OnboardAsync();
        var body = new string('[', 40_000) + new string(']', 40_000);

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(tenant), body), 413, "payload_too_large");
    }

    [Theory]
    [InlineData(64 * 1024, 200)]
    [InlineData((64 * 1024) + 1, 413)]
    [InlineData(1024 * 1024, 413)]
    public async Task A_body_is_taken_up_to_64_KiB_and_refused_413_beyond(int size, int status)
    {
        var tenant = await cloud.OnboardAsync();
        const string json = "{\"scopes\":[\"files:read\"]}";
        var body = json + new string(' ', size - json.Length);
        Assert.Equal(size, Encoding.UTF8.GetByteCount(body));
        var request = Requests.Vend(tenant, cloud.Token(tenant), body);

        if (status == 413)
        {
            await cloud.AssertRefusedAsync(tenant, request, 413, "payload_too_large");
            return;
        }

        var answer = await cloud.SendSeenAsync(request);
        Assert.True(answer.Status == 200, answer.ToString());
        await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
    }

    // Found by this suite: both answered 500 before JsonBody checked that every string of a body can be read.
    [Fact]
    public async Task A_body_that_is_not_utf8_is_400_invalid_request()
    {
        var tenant = await cloud.OnboardAsync();
        var request = Requests.Vend(tenant, cloud.Token(tenant), "{}") with { Body = [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d] };

        await cloud.AssertRefusedAsync(tenant, request, 400, "invalid_request");
    }

    [Fact]
    public async Task A_body_marked_base64_that_is_not_is_400_invalid_request()
    {
        var tenant = await cloud.OnboardAsync();
        var request = Requests.Vend(tenant, cloud.Token(tenant), "{}") with
        {
            RouteKey = "POST /v1/tenants/{tenantId}/credentials",
            PathParameters = new Dictionary<string, string> { ["tenantId"] = tenant },
        };
        var payload = Encoding.UTF8.GetString(HttpApiEvent.Create(request, DateTimeOffset.UtcNow))
            .Replace("\"isBase64Encoded\":false", "\"isBase64Encoded\":true", StringComparison.Ordinal)
            .Replace("\"body\":\"{}\"", "\"body\":\"not base64 at all!\"", StringComparison.Ordinal);
        var calls = cloud.StsCalls();

        var answer = await cloud.InvokeAsync("vend", Encoding.UTF8.GetBytes(payload));

        Assert.True(answer.Status == 400 && answer.Code == "invalid_request", answer.ToString());
        Assert.Equal(calls, cloud.StsCalls());
        Assert.Empty(await cloud.AllLeaseItemsAsync(tenant));
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);
}
