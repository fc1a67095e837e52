using System.Text;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Saml;
using CredentialVending.SystemTests.Routes;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// docs/api.md "SAML tenants", the body rather than the response: every JSON and form shape a saml tenant's vend can be
/// sent through the real bootstrap is its documented refusal, with no STS call, no lease and no part of the response in
/// the answer; a response wrapped across lines, as identity providers and tools send it, is vended for.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class HostileSamlBodyTests(LocalCloud cloud)
{
    private const string Form = "application/x-www-form-urlencoded";

    public static TheoryData<string, int, string> JsonBodies => new()
    {
        { """{ "samlResponse": 5 }""", 400, "invalid_request" },
        { """{ "samlResponse": ["RESPONSE"] }""", 400, "invalid_request" },
        { """{ "samlResponse": { "value": "RESPONSE" } }""", 400, "invalid_request" },
        { """{ "samlResponse": null }""", 400, "invalid_request" },
        { """{ "samlResponse": "RESPONSE", "samlResponse": "RESPONSE" }""", 400, "invalid_request" },
        { """{ "samlResponse": "RESPONSE", "SAMLResponse": "RESPONSE" }""", 400, "invalid_request" },
        { """{ "samlResponse": "RESPONSE", "durationSeconds": 900.5 }""", 400, "invalid_request" },
        { """{ "samlResponse": "RESPONSE", "durationSeconds": -900 }""", 400, "invalid_duration" },
        { """{ "samlResponse": "RESPONSE", "durationSeconds": 1e10 }""", 400, "invalid_request" },
        { """{ "samlResponse": "" }""", 401, "invalid_token" },
        { """{ "samlResponse": "   " }""", 401, "invalid_token" },
        { """{ "samlResponse": "not base64 at all!" }""", 401, "invalid_token" },
        { """{ "samlResponse": "aGVsbG8sIHRoaXMgaXMgbm8gWE1MIGF0IGFsbA==" }""", 401, "invalid_token" },
        { """{ "samlResponse": "PD94bWwgdmVyc2lvbj0iMS4wIj8+PGEvPg==" }""", 401, "invalid_token" },
    };

    [Theory]
    [MemberData(nameof(JsonBodies))]
    public Task A_json_body_a_saml_tenant_cannot_take_is_its_documented_refusal(string body, int status, string code) =>
        AssertRefusedAsync((tenantId, response) => Requests.Vend(tenantId, token: null, body.Replace("RESPONSE", response, StringComparison.Ordinal)), status, code, body);

    [Theory]
    [InlineData("application/json")]
    [InlineData(Form)]
    public Task A_saml_response_sent_with_a_bearer_token_is_400_invalid_request(string type) => AssertRefusedAsync(
        (tenantId, response) => Post(tenantId, type, type == Form ? "SAMLResponse=" + Uri.EscapeDataString(response) : $$"""{ "samlResponse": "{{response}}" }""") with
        {
            Headers = [new("Content-Type", type), new("Authorization", "Bearer " + cloud.Token(tenantId))],
        },
        400,
        "invalid_request",
        type);

    [Theory]
    [InlineData("SAMLResponse=RESPONSE&SAMLResponse=RESPONSE", 400, "invalid_request")]
    [InlineData("SAMLResponse=RESPONSE&durationSeconds=900&durationSeconds=3600", 400, "invalid_request")]
    [InlineData("SAMLResponse=RESPONSE&durationSeconds=-900", 400, "invalid_request")]
    [InlineData("SAMLResponse=RESPONSE&durationSeconds=99999999999", 400, "invalid_request")]
    [InlineData("SAMLResponse=RESPONSE&durationSeconds=600", 400, "invalid_duration")]
    [InlineData("SAMLResponse=RESPONSE%", 400, "invalid_request")]
    [InlineData("SAMLResponse=RESPONSE%G1", 400, "invalid_request")]
    [InlineData("SAMLResponse=RESPONSE%C3%28", 400, "invalid_request")]
    [InlineData("SAMLResponse=RESPONSE%FF", 400, "invalid_request")]
    [InlineData("SAMLResponse=RESPONSE&scopes=files:read+files:write", 400, "invalid_scope")]
    [InlineData("SAMLResponse=RESPONSE&Signature=x", 400, "invalid_request")]
    [InlineData("SAMLResponse", 400, "invalid_request")]
    [InlineData("SAMLResponse=PHNhbWw%2B", 401, "invalid_token")]
    public Task A_form_a_saml_tenant_cannot_take_is_its_documented_refusal(string form, int status, string code) =>
        AssertRefusedAsync((tenantId, response) => Post(tenantId, Form, form.Replace("RESPONSE", Uri.EscapeDataString(response), StringComparison.Ordinal)), status, code, form);

    [Fact]
    public async Task A_form_that_is_not_utf8_is_400_invalid_request_whatever_charset_it_names()
    {
        var tenantId = await OnboardAsync();

        await cloud.AssertRefusedAsync(tenantId, Post(tenantId, Form + "; charset=ISO-8859-1", string.Empty) with { Body = [.. "RelayState=caf"u8, 0xE9] }, 400, "invalid_request");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_form_for_a_tenant_that_is_not_saml_is_refused_as_documented(bool withToken)
    {
        var tenantId = await cloud.OnboardAsync();
        var response = cloud.Saml.SignedResponse(SamlVendTests.Request(cloud, tenantId));
        var request = Post(tenantId, Form, "SAMLResponse=" + Uri.EscapeDataString(response));
        if (withToken)
        {
            request = request with { Headers = [.. request.Headers, new("Authorization", "Bearer " + cloud.Token(tenantId))] };
        }

        await cloud.AssertRefusedAsync(tenantId, request, withToken ? 400 : 401, withToken ? "invalid_request" : "invalid_token");
    }

    [Theory]
    [InlineData("json", "\n", 76)]
    [InlineData("json", "\r\n", 64)]
    [InlineData("form", "\r\n", 76)]
    [InlineData("form; charset=ISO-8859-1", "\n", 64)]
    public async Task A_response_wrapped_across_lines_is_vended_for_and_leased_and_logged_nowhere(string shape, string wrap, int width)
    {
        var tenantId = await OnboardAsync();
        var response = cloud.Saml.SignedResponse(SamlVendTests.Request(cloud, tenantId));
        var wrapped = string.Join(wrap, response.Chunk(width).Select(c => new string(c)));
        var request = shape == "json"
            ? Requests.Vend(tenantId, token: null, $$"""{ "samlResponse": "{{System.Text.Json.JsonEncodedText.Encode(wrapped)}}" }""")
            : Post(tenantId, shape.Replace("form", Form, StringComparison.Ordinal), "SAMLResponse=" + Uri.EscapeDataString(wrapped) + "&RelayState=app");

        var logsBefore = cloud.Logs.Count;

        var answer = await cloud.SendAsync(request);

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Equal(answer.Json.GetProperty("leaseId").GetString(), Assert.Single(await cloud.LeaseItemsAsync(tenantId))["leaseId"].S);
        Assert.DoesNotContain(cloud.Logs.Skip(logsBefore), line => line.Contains(response[40..80], StringComparison.Ordinal));
    }

    /// <summary>The request made of a new saml tenant and carol's signed response, refused as documented, the response in no part of the answer or the logs.</summary>
    private async Task AssertRefusedAsync(Func<string, string, HttpApiRequest> request, int status, string code, string what)
    {
        var tenantId = await OnboardAsync();
        var response = cloud.Saml.SignedResponse(SamlVendTests.Request(cloud, tenantId));
        var logsBefore = cloud.Logs.Count;

        var answer = await cloud.AssertRefusedAsync(tenantId, request(tenantId, response), status, code, what);

        Assert.DoesNotContain(response[..40], answer.RawResponse, StringComparison.Ordinal);
        Assert.DoesNotContain(cloud.Logs.Skip(logsBefore), line => line.Contains(response[40..80], StringComparison.Ordinal) || line.Contains(Uri.EscapeDataString(response)[40..80], StringComparison.Ordinal));
    }

    private Task<string> OnboardAsync() => cloud.OnboardAsync(SamlVendTests.Document(cloud, Requests.NewTenantId()));

    private static HttpApiRequest Post(string tenantId, string type, string body) => Requests.Vend(tenantId, token: null) with
    {
        Headers = [new("Content-Type", type)],
        Body = Encoding.UTF8.GetBytes(body),
    };

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);
}
