using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Saml;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>
/// docs/api.md "SAML tenants", through the real bootstrap: a signed response from the development SAML provider is
/// vended for and leased (JSON and the browser POST form); hostile responses are refused before STS and lease nothing.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class SamlVendTests(LocalCloud cloud)
{
    [Fact]
    public async Task A_signed_saml_response_is_vended_for_as_json_and_as_the_post_binding_and_leased_with_its_session_name()
    {
        var tenantId = await OnboardAsync();

        var json = await cloud.SendAsync(Requests.Vend(tenantId, token: null, body: $$"""{ "samlResponse": "{{Response(tenantId)}}" }"""));
        var form = await cloud.SendAsync(Form(tenantId, "SAMLResponse=" + WebUtility.UrlEncode(Response(tenantId)) + "&RelayState=app"));

        Assert.True(json.Status == 200, json.ToString());
        Assert.True(form.Status == 200, form.ToString());
        Assert.EndsWith("/carol", json.Json.GetProperty("assumedRoleArn").GetString(), StringComparison.Ordinal);
        var leases = await cloud.LeaseItemsAsync(tenantId);
        Assert.Equal(2, leases.Count(l => l.TryGetValue("mode", out var m) && m.S == "saml" && l["sessionName"].S == "carol"));
    }

    [Theory]
    [InlineData("dtd")]
    [InlineData("two assertions")]
    [InlineData("wrong audience")]
    [InlineData("another tenant")]
    public async Task A_hostile_saml_response_is_refused_before_sts_and_leases_nothing(string shape)
    {
        var tenantId = await OnboardAsync();
        var xml = cloud.Saml.SignedResponseXml(Request(tenantId, shape == "wrong audience" ? "https://app.evil.example/saml" : null, shape == "another tenant" ? "globex" : null));
        xml = shape switch
        {
            "dtd" => xml.Replace("<samlp:Response", "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><samlp:Response", StringComparison.Ordinal),
            "two assertions" => xml.Replace("</samlp:Response>", "<saml:Assertion ID=\"_forged\"/></samlp:Response>", StringComparison.Ordinal),
            _ => xml,
        };

        var answer = await cloud.SendAsync(Requests.Vend(tenantId, token: null, body: $$"""{ "samlResponse": "{{DevelopmentSamlProvider.Encode(xml)}}" }"""));

        Assert.True(answer.Status == 401, answer.ToString());
        Assert.Equal("invalid_token", answer.Code);
        Assert.Empty(await cloud.LeaseItemsAsync(tenantId));
    }

    [Fact]
    public async Task A_200_KB_body_is_413()
    {
        var tenantId = await OnboardAsync();

        var answer = await cloud.SendAsync(Form(tenantId, "SAMLResponse=" + new string('A', 200_000)));

        Assert.Equal((413, "payload_too_large"), (answer.Status, answer.Code));
    }

    private string Response(string tenantId) => cloud.Saml.SignedResponse(Request(tenantId, null, null));

    private SamlResponseRequest Request(string tenantId, string? audience, string? tenant) => new()
    {
        Subject = "carol",
        RoleArn = cloud.Saml.DefaultRoleFor(tenantId),
        Tenant = tenant ?? tenantId,
        Audience = audience ?? "https://signin.aws.amazon.com/saml",
    };

    private static HttpApiRequest Form(string tenantId, string body) => Requests.Vend(tenantId, token: null) with
    {
        Headers = [new("Content-Type", "application/x-www-form-urlencoded")],
        Body = Encoding.UTF8.GetBytes(body),
    };

    private Task<string> OnboardAsync()
    {
        var tenantId = Requests.NewTenantId();
        var document = new JsonObject
        {
            ["tenantId"] = tenantId,
            ["status"] = "active",
            ["identity"] = new JsonObject
            {
                ["saml"] = new JsonObject { ["entityId"] = cloud.Saml.EntityId, ["providerArn"] = cloud.Saml.ProviderArn, ["attributes"] = new JsonObject { ["tenant"] = "tenant" } },
                ["tenantClaim"] = "tenant",
            },
            ["issuance"] = new JsonObject { ["mode"] = "saml", ["roleArn"] = cloud.Saml.DefaultRoleFor(tenantId) },
            ["scopes"] = JsonNode.Parse("""{ "files:read": { "statements": [ { "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::data/{{tenant}}/*"] } ] } }"""),
            ["defaultScopes"] = new JsonArray("files:read"),
        };
        return cloud.OnboardAsync(document);
    }
}
