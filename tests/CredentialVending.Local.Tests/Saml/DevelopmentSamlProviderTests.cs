using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CredentialVending.Local.Hosting;
using CredentialVending.Local.Saml;
using Microsoft.AspNetCore.Builder;

namespace CredentialVending.Local.Tests.Saml;

public sealed class DevelopmentSamlProviderTests : IAsyncLifetime
{
    private static readonly XNamespace A = SamlNames.Assertion;
    private static readonly XNamespace Md = SamlNames.Metadata;
    private readonly DevelopmentSamlProvider _idp = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = LoopbackWebApp.CreateBuilder().Build();
        _idp.MapEndpoints(_app);
        _http = new HttpClient { BaseAddress = await LoopbackWebApp.StartAsync(_app) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        _idp.Dispose();
    }

    [Fact]
    public async Task The_metadata_names_the_entity_id_and_the_signing_certificate()
    {
        using var response = await _http.GetAsync(new Uri(DevelopmentSamlProvider.MetadataPath, UriKind.Relative));
        var metadata = XElement.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("application/samlmetadata+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DevelopmentSamlProvider.DefaultEntityId, metadata.Attribute("entityID")?.Value);
        var key = Assert.Single(metadata.Element(Md + "IDPSSODescriptor")!.Elements(Md + "KeyDescriptor"));
        Assert.Equal("signing", key.Attribute("use")?.Value);
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(key.Descendants().Last().Value));
        Assert.Equal(_idp.Certificate.Thumbprint, certificate.Thumbprint);
        Assert.False(certificate.HasPrivateKey);
    }

    [Fact]
    public async Task A_response_names_the_subject_the_tenants_role_and_the_groups_for_five_minutes()
    {
        var answer = JsonNode.Parse(await _http.GetStringAsync(new Uri("/_local/saml?tenant=acme&sub=alice&groups=admins,editors", UriKind.Relative)))!;
        var response = XElement.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(answer["samlResponse"]!.GetValue<string>())));

        var assertion = Assert.Single(response.Elements(A + "Assertion"));
        Assert.Equal("alice", assertion.Descendants(A + "NameID").Single().Value);
        Assert.Equal(["arn:aws:iam::123456789012:role/tenant-acme,arn:aws:iam::123456789012:saml-provider/local-dev"], Values(assertion, SamlNames.RoleAttribute));
        Assert.Equal(["alice"], Values(assertion, SamlNames.RoleSessionNameAttribute));
        Assert.Equal(["acme"], Values(assertion, "tenant"));
        Assert.Equal(["admins", "editors"], Values(assertion, "groups"));
        Assert.Equal(SamlNames.AwsAudience, assertion.Descendants(A + "Audience").Single().Value);
        var conditions = assertion.Element(A + "Conditions")!;
        Assert.Equal(TimeSpan.FromMinutes(5), DateTimeOffset.Parse(conditions.Attribute("NotOnOrAfter")!.Value) - DateTimeOffset.Parse(conditions.Attribute("NotBefore")!.Value));
        Assert.NotNull(assertion.Element(XName.Get("Signature", SamlNames.DSig)));
    }

    [Fact]
    public async Task A_role_in_the_query_is_the_one_the_role_attribute_names()
    {
        var answer = JsonNode.Parse(await _http.GetStringAsync(new Uri("/_local/saml?tenant=acme&sub=alice&role=arn:aws:iam::123456789012:role/other", UriKind.Relative)))!;
        var response = XElement.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(answer["samlResponse"]!.GetValue<string>())));

        Assert.Equal(["arn:aws:iam::123456789012:role/other,arn:aws:iam::123456789012:saml-provider/local-dev"], Values(response, SamlNames.RoleAttribute));
    }

    [Fact]
    public async Task The_response_json_carries_the_base64_as_it_is_so_sed_can_take_it_out()
    {
        var text = await _http.GetStringAsync(new Uri("/_local/saml?tenant=acme&sub=alice", UriKind.Relative));

        var base64 = JsonNode.Parse(text)!["samlResponse"]!.GetValue<string>();
        Assert.Equal($"{{\"samlResponse\":\"{base64}\"}}", text);
    }

    [Theory]
    [InlineData("/_local/saml?tenant=acme")]
    [InlineData("/_local/saml?sub=alice")]
    public async Task A_response_needs_a_tenant_and_a_subject(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tenant and sub are required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_form_format_is_a_page_that_posts_the_response_and_the_given_fields_to_the_tenants_credentials_route()
    {
        using var response = await _http.GetAsync(new Uri("/_local/saml?tenant=acme&sub=alice&format=form&relayState=" + Uri.EscapeDataString("a\"<b&c") + "&scopes=files:read", UriKind.Relative));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("/v1/tenants/acme/credentials", Regex.Match(page, "<form method=\"post\" action=\"([^\"]+)\"").Groups[1].Value);
        var fields = Regex.Matches(page, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        Assert.Equal(["SAMLResponse", "RelayState", "scopes"], fields.Keys);
        Assert.Equal("a\"<b&c", fields["RelayState"]);
        Assert.DoesNotContain("a\"<b", page, StringComparison.Ordinal);
        var xml = XDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(fields["SAMLResponse"])));
        Assert.Equal("alice", xml.Descendants(A + "NameID").Single().Value);

        // The page's one script is the one its policy's nonce names.
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = Regex.Match(policy, "script-src 'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"<script nonce=\"{nonce}\">document.forms[0].submit();</script>", page, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_form_page_escapes_a_tenant_in_its_action()
    {
        var page = await _http.GetStringAsync(new Uri("/_local/saml?tenant=" + Uri.EscapeDataString("a/b\"c") + "&sub=alice&format=form", UriKind.Relative));

        Assert.Contains("action=\"/v1/tenants/a%2Fb%22c/credentials\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_format_is_refused_naming_the_two()
    {
        using var response = await _http.GetAsync(new Uri("/_local/saml?tenant=acme&sub=alice&format=xml", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("format is json (the default) or form", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string[] Values(XElement scope, string name) =>
        [.. scope.Descendants(A + "Attribute").Single(a => a.Attribute("Name")!.Value == name).Elements(A + "AttributeValue").Select(v => v.Value)];
}
