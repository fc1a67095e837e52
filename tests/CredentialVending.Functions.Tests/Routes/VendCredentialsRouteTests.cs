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
    [InlineData("SAMLResponse=PHNh%", "percent-escape")]
    [InlineData("SAMLResponse=PHNh%2", "percent-escape")]
    [InlineData("SAMLResponse=PHNh%G1", "percent-escape")]
    [InlineData("SAMLResponse=PHNh%zz", "percent-escape")]
    [InlineData("SAMLResponse=PHNh%C3%28", "not UTF-8")]
    [InlineData("SAMLResponse=PHNh%FF", "not UTF-8")]
    [InlineData("SAMLResponse=a&Relay%ZZState=x", "percent-escape")]
    [InlineData("SAMLResponse=a&durationSeconds=900&durationSeconds=3600", "gives durationSeconds more than once")]
    [InlineData("SAMLResponse=a&scopes=files:read&scopes=files:write", "gives scopes more than once")]
    [InlineData("SAMLResponse=a&samlresponse=b", "Unknown form field 'samlresponse'")]
    [InlineData("SAMLResponse", "it must carry SAMLResponse")]
    [InlineData("SAMLResponse=a&durationSeconds=", "durationSeconds must be a whole number")]
    [InlineData("SAMLResponse=a&durationSeconds=-900", "durationSeconds must be a whole number")]
    [InlineData("SAMLResponse=a&durationSeconds=%2B900", "durationSeconds must be a whole number")]
    [InlineData("SAMLResponse=a&durationSeconds=900.0", "durationSeconds must be a whole number")]
    [InlineData("SAMLResponse=a&durationSeconds=9e2", "durationSeconds must be a whole number")]
    [InlineData("SAMLResponse=a&durationSeconds=2147483648", "durationSeconds must be a whole number")]
    [InlineData("SAMLResponse=a&durationSeconds=%20900", "durationSeconds must be a whole number")]
    public void A_form_field_that_cannot_be_read_exactly_as_posted_is_400_invalid_request(string body, string detail)
    {
        var read = VendCredentialsRoute.Read(Context(Form, body));

        Assert.Equal("invalid_request", read.Refusal?.Code);
        Assert.Contains(detail, read.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SAMLResponse=PHNh+bWw", "PHNh bWw")]
    [InlineData("SAMLResponse=PHNh%20bWw", "PHNh bWw")]
    [InlineData("SAMLResponse=PHNh%2BbWw%3D%3D", "PHNh+bWw==")]
    [InlineData("SAMLResponse=%C3%A9t%C3%A9", "\u00e9t\u00e9")]
    [InlineData("RelayState&SAMLResponse=a", "a")]
    [InlineData("&&SAMLResponse=a&&&RelayState=&&", "a")]
    public void A_form_value_is_read_with_plus_as_a_space_and_each_escape_as_its_utf8_byte(string body, string samlResponse)
    {
        var context = Context(Form, body);

        var read = VendCredentialsRoute.Read(context);

        Assert.Null(read.Refusal);
        Assert.Equal(samlResponse, context.SamlResponse);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=ISO-8859-1")]
    [InlineData("Application/X-WWW-Form-URLEncoded")]
    [InlineData("APPLICATION/X-WWW-FORM-URLENCODED;charset=UTF-8")]
    public void A_form_is_a_form_whatever_the_case_of_its_type_and_its_charset_parameter(string type)
    {
        var context = Context(type, "SAMLResponse=PHNhbWw%2B");

        var read = VendCredentialsRoute.Read(context);

        Assert.Null(read.Refusal);
        Assert.Equal("PHNhbWw+", context.SamlResponse);
    }

    [Fact]
    public void A_form_body_that_is_not_utf8_is_400_invalid_request_whatever_charset_it_claims()
    {
        var context = HostRun.ContextFor(Request(Form + "; charset=ISO-8859-1", [.. "SAMLResponse=caf"u8, 0xE9]));

        var read = VendCredentialsRoute.Read(context);

        Assert.Equal(("invalid_request", "The form is not valid UTF-8."), (read.Refusal?.Code, read.Refusal?.Detail));
    }

    [Fact]
    public void Sixty_thousand_empty_fields_under_the_size_limit_read_as_none()
    {
        var context = Context(Form, new string('&', 30_000) + "SAMLResponse=a" + new string('&', 30_000));

        var read = VendCredentialsRoute.Read(context);

        Assert.Null(read.Refusal);
        Assert.Equal("a", context.SamlResponse);
    }

    [Theory]
    [InlineData("scopes=files:read,files:write", new[] { "files:read", "files:write" })]
    [InlineData("scopes=files:read%2C%20files:write", new[] { "files:read", "files:write" })]
    [InlineData("scopes=files:read+files:write", new[] { "files:read files:write" })]
    [InlineData("scopes=,,files:read,,", new[] { "files:read" })]
    public void Form_scopes_are_comma_separated_and_a_space_is_part_of_a_name_so_it_names_no_scope(string scopes, string[] expected)
    {
        var read = VendCredentialsRoute.Read(Context(Form, "SAMLResponse=a&" + scopes));

        Assert.Equal(expected, read.Value.Scopes);
    }

    [Theory]
    [InlineData(Form, "SAMLResponse=a&scopes=files:write&durationSeconds=1200")]
    [InlineData("application/json", """{ "samlResponse": "a", "scopes": ["files:write"], "durationSeconds": 1200 }""")]
    public void The_bodys_duration_wins_over_the_querys_and_their_scopes_are_joined(string type, string body)
    {
        var context = HostRun.ContextFor(Request(type, Encoding.UTF8.GetBytes(body)) with { RawQueryString = "scopes=files:read&durationSeconds=900" });

        var read = VendCredentialsRoute.Read(context);

        Assert.Equal(1200, read.Value.Duration);
        Assert.Equal(["files:read", "files:write"], read.Value.Scopes);
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

    private static CredentialVending.Functions.Http.RouteContext Context(string contentType, string body) =>
        HostRun.ContextFor(Request(contentType, Encoding.UTF8.GetBytes(body)));

    private static HttpApiRequest Request(string contentType, byte[] body) => new()
    {
        Method = "POST",
        Path = "/v1/tenants/acme/credentials",
        Headers = [new("content-type", contentType)],
        Body = body,
    };
}
