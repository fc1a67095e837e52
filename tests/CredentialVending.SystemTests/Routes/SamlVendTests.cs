using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Saml;
using CredentialVending.Local.Sts;
using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Routes;

/// <summary>
/// docs/api.md "SAML tenants", through the real bootstrap: a signed response from the development SAML provider is
/// vended for and leased (JSON and the browser POST form); hostile responses are refused before STS and lease nothing.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class SamlVendTests(LocalCloud cloud) : IDisposable
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

    [Fact]
    public async Task A_response_sts_answers_for_another_subject_is_502_issuance_failed_leases_nothing_and_logs_no_part_of_it()
    {
        var tenantId = await OnboardAsync();
        var xml = cloud.Saml.SignedResponseXml(Request(cloud, tenantId));
        var before = cloud.Logs.Count;
        cloud.Sts.Faults.Set(StsFault.OtherSamlSubject);

        var answer = await cloud.SendAsync(Requests.Vend(tenantId, token: null, body: $$"""{ "samlResponse": "{{DevelopmentSamlProvider.Encode(xml)}}" }"""));

        Assert.True(answer.Status == 502, answer.ToString());
        Assert.Equal("issuance_failed", answer.Code);
        Assert.Empty(await cloud.LeaseItemsAsync(tenantId));
        var lines = string.Join('\n', cloud.Logs.Skip(before));
        Assert.Contains("another Subject", lines, StringComparison.Ordinal);
        foreach (var part in AssertionParts(xml))
        {
            Assert.DoesNotContain(part, lines, StringComparison.Ordinal);
            Assert.DoesNotContain(part, answer.RawResponse, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, int, string> HostileShapes => new()
    {
        { "dtd", 401, "invalid_token" },
        { "two assertions", 401, "invalid_token" },
        { "wrapped in extensions", 401, "invalid_token" },
        { "wrapped in the signature", 401, "invalid_token" },
        { "expired", 401, "invalid_token" },
        { "wrong audience", 401, "invalid_token" },
        { "another tenant", 401, "invalid_token" },
        { "comment in the nameid", 401, "invalid_token" },
        { "200 KB", 413, "payload_too_large" },
    };

    [Theory]
    [MemberData(nameof(HostileShapes))]
    public async Task A_hostile_saml_response_is_refused_with_no_sts_call_and_leases_nothing(string shape, int status, string code)
    {
        var tenantId = await OnboardAsync();
        var request = Request(cloud, tenantId);
        var xml = shape switch
        {
            "dtd" => HostileSamlResponses.WithDoctype(cloud.Saml, request),
            "two assertions" => HostileSamlResponses.TwoAssertions(cloud.Saml, request),
            "wrapped in extensions" => HostileSamlResponses.WrappedSignature(cloud.Saml, request, SamlWrapping.Extensions),
            "wrapped in the signature" => HostileSamlResponses.WrappedSignature(cloud.Saml, request, SamlWrapping.SignatureObject),
            "expired" => cloud.Saml.SignedResponseXml(HostileSamlResponses.Expired(request)),
            "wrong audience" => cloud.Saml.SignedResponseXml(HostileSamlResponses.WrongAudience(request)),
            "another tenant" => cloud.Saml.SignedResponseXml(HostileSamlResponses.OtherTenant(request, "globex")),
            "comment in the nameid" => HostileSamlResponses.CommentInNameId(cloud.Saml, request, keep: 2),
            _ => HostileSamlResponses.Oversized(cloud.Saml, request),
        };
        var role = cloud.Saml.DefaultRoleFor(tenantId);

        var answer = await cloud.SendAsync(Requests.Vend(tenantId, token: null, body: $$"""{ "samlResponse": "{{DevelopmentSamlProvider.Encode(xml)}}" }"""));

        Assert.True(answer.Status == status, answer.ToString());
        Assert.Equal(code, answer.Code);
        Assert.DoesNotContain(cloud.Sts.Calls.Concat(cloud.StsWest.Calls), c => c.Action == "AssumeRoleWithSAML" && c.RoleArn == role);
        Assert.Empty(await cloud.LeaseItemsAsync(tenantId));
    }

    [Theory]
    [InlineData("truncated xml")]
    [InlineData("html")]
    [InlineData("empty body")]
    [InlineData("no credentials")]
    public async Task An_assume_role_with_saml_answer_nobody_can_read_from_every_endpoint_is_503_unavailable_and_leases_nothing(string garble)
    {
        var tenantId = await OnboardAsync();
        var fault = garble switch
        {
            "truncated xml" => StsFault.TruncatedXml,
            "html" => StsFault.Html,
            "empty body" => StsFault.EmptyBody,
            _ => StsFault.NoCredentials,
        };
        cloud.Sts.Faults.Set(fault);
        cloud.StsWest.Faults.Set(fault);
        var role = cloud.Saml.DefaultRoleFor(tenantId);

        var answer = await cloud.SendAsync(Requests.Vend(tenantId, token: null, body: $$"""{ "samlResponse": "{{Response(tenantId)}}" }"""));

        Assert.True(answer.Status == 503 && answer.Code == "unavailable", answer.ToString());
        Assert.Equal("2", answer.Header("retry-after"));
        Assert.DoesNotContain("ASIA", answer.RawResponse, StringComparison.Ordinal);
        Assert.Contains(cloud.StsWest.Calls, c => c.Action == "AssumeRoleWithSAML" && c.RoleArn == role);
        Assert.Empty(await cloud.LeaseItemsAsync(tenantId));
    }

    [Fact]
    public async Task A_200_KB_body_is_413()
    {
        var tenantId = await OnboardAsync();

        var answer = await cloud.SendAsync(Form(tenantId, "SAMLResponse=" + new string('A', 200_000)));

        Assert.Equal((413, "payload_too_large"), (answer.Status, answer.Code));
    }

    // What of a response would give it away in a log line: its base64 (any 40 characters of it), its signature value and its XML.
    private static IEnumerable<string> AssertionParts(string xml)
    {
        var encoded = DevelopmentSamlProvider.Encode(xml);
        var signature = System.Xml.Linq.XDocument.Parse(xml).Descendants(System.Xml.Linq.XName.Get("SignatureValue", SamlNames.DSig)).Single().Value;
        return Enumerable.Range(0, encoded.Length / 40).Select(i => encoded.Substring(i * 40, 40)).Append(signature[..40]).Append("<saml");
    }

    private string Response(string tenantId) => cloud.Saml.SignedResponse(Request(cloud, tenantId));

    /// <summary>Carol's signed response for the tenant, as the development provider writes it for AWS.</summary>
    internal static SamlResponseRequest Request(LocalCloud cloud, string tenantId) => new()
    {
        Subject = "carol",
        RoleArn = cloud.Saml.DefaultRoleFor(tenantId),
        Tenant = tenantId,
        Audience = "https://signin.aws.amazon.com/saml",
    };

    private static HttpApiRequest Form(string tenantId, string body) => Requests.Vend(tenantId, token: null) with
    {
        Headers = [new("Content-Type", "application/x-www-form-urlencoded")],
        Body = Encoding.UTF8.GetBytes(body),
    };

    private Task<string> OnboardAsync() => cloud.OnboardAsync(Document(cloud, Requests.NewTenantId()));

    /// <summary>A saml tenant of the development SAML provider, its <c>tenant</c> attribute the tenant claim.</summary>
    internal static JsonObject Document(LocalCloud cloud, string tenantId) => new()
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

    public void Dispose()
    {
        cloud.Sts.Faults.Clear();
        cloud.StsWest.Faults.Clear();
    }
}
