using System.Text;
using CredentialVending.Functions.Routes;
using CredentialVending.Functions.Tests.Support;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.Functions.Tests.Routes;

/// <summary>
/// docs/api.md "SAML tenants": the credentials route reads a SAML response from a JSON body's samlResponse or from SAML's
/// browser POST binding (a form's SAMLResponse, RelayState unread), with the scopes and duration beside it.
/// </summary>
public sealed class VendCredentialsRouteTests
{
    private const string Form = "application/x-www-form-urlencoded";

    [Fact]
    public void A_json_body_carries_the_saml_response_beside_the_scopes_and_duration()
    {
        var context = Context("application/json", """{ "samlResponse": "PHNhbWw+", "scopes": ["files:read"], "durationSeconds": 1200 }""");

        var read = VendCredentialsRoute.Read(context);

        Assert.Equal(("json", "files:read", 1200), (read.Value.Format, Assert.Single(read.Value.Scopes!), read.Value.Duration));
        Assert.Equal("PHNhbWw+", context.SamlResponse);
    }

    [Fact]
    public void The_browser_post_binding_carries_the_saml_response_url_encoded_with_relay_state_and_comma_separated_scopes()
    {
        var context = Context(Form + "; charset=utf-8", "SAMLResponse=PHNh%2BbWw%3D&RelayState=https%3A%2F%2Fapp&scopes=files%3Aread%2Cfiles%3Awrite&durationSeconds=900");

        var read = VendCredentialsRoute.Read(context);

        Assert.Null(read.Refusal);
        Assert.Equal(["files:read", "files:write"], read.Value.Scopes);
        Assert.Equal(900, read.Value.Duration);
        Assert.Equal("PHNh+bWw=", context.SamlResponse);
    }

    [Theory]
    [InlineData("RelayState=x", "it must carry SAMLResponse")]
    [InlineData("SAMLResponse=", "it must carry SAMLResponse")]
    [InlineData("SAMLResponse=a&SAMLResponse=b", "gives SAMLResponse more than once")]
    [InlineData("SAMLResponse=a&SigAlg=rsa", "Unknown form field 'SigAlg'")]
    [InlineData("SAMLResponse=a&durationSeconds=15m", "durationSeconds must be a whole number")]
    public void A_form_that_is_not_the_post_binding_is_400_invalid_request(string body, string detail)
    {
        var read = VendCredentialsRoute.Read(Context(Form, body));

        Assert.Equal("invalid_request", read.Refusal?.Code);
        Assert.Contains(detail, read.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Form)]
    [InlineData("application/json")]
    public void A_200_KB_body_is_413_payload_too_large_before_anything_is_read(string type)
    {
        var body = type == Form ? "SAMLResponse=" + new string('A', 200_000) : $$"""{ "samlResponse": "{{new string('A', 200_000)}}" }""";

        var read = VendCredentialsRoute.Read(Context(type, body));

        Assert.Equal("payload_too_large", read.Refusal?.Code);
    }

    [Fact]
    public void A_json_saml_response_that_is_not_a_string_is_400()
    {
        var read = VendCredentialsRoute.Read(Context("application/json", """{ "samlResponse": 5 }"""));

        Assert.Equal(("invalid_request", "samlResponse must be a string: the base64 SAML response."), (read.Refusal?.Code, read.Refusal?.Detail));
    }

    private static CredentialVending.Functions.Http.RouteContext Context(string contentType, string body) => HostRun.ContextFor(new HttpApiRequest
    {
        Method = "POST",
        Path = "/v1/tenants/acme/credentials",
        Headers = [new("content-type", contentType)],
        Body = Encoding.UTF8.GetBytes(body),
    });
}
