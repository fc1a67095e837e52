using System.Net;
using System.Text;
using Amazon.Runtime;
using CredentialVending.Common;
using CredentialVending.Revocation;
using CredentialVending.Revocation.Iam;

namespace CredentialVending.Tests.Revocation;

/// <summary>What the IAM client makes of answers no honest IAM sends, through a handler that answers in IAM's place.</summary>
public sealed class IamAnswerTests
{
    private const string Role = "tenant-acme";
    private const string Policy = "credential-vending-revocations";

    public static TheoryData<string, HttpStatusCode> Unreadable => new()
    {
        // An entity expansion bomb: refused for its DTD before anything expands.
        { """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><GetRolePolicyResponse><GetRolePolicyResult><PolicyDocument>&b;</PolicyDocument></GetRolePolicyResult></GetRolePolicyResponse>""", HttpStatusCode.OK },
        { """<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///etc/passwd"><GetRolePolicyResponse/>""", HttpStatusCode.OK },
        { "<html><body>Sign in to the captive portal</body></html", HttpStatusCode.OK },
        { string.Empty, HttpStatusCode.OK },
        { "<GetRolePolicyResponse><GetRolePolicyResult><RoleName>tenant-acme</RoleName></GetRolePolicyResult></GetRolePolicyResponse>", HttpStatusCode.OK },
        { "<html>Forbidden</html>", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task An_answer_that_is_not_iam_s_xml_makes_iam_unavailable(string body, HttpStatusCode status)
    {
        var handler = new AnsweringHandler(status, body);

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => Client(handler).GetAsync(Role, Policy, CancellationToken.None));
    }

    [Fact]
    public async Task A_refusal_names_iam_s_code_and_the_role_but_not_the_document()
    {
        const string document = """{"Statement":[{"Sid":"private-marker","Effect":"Deny"}]}""";
        var echo = $"<ErrorResponse><Error><Type>Sender</Type><Code>MalformedPolicyDocument</Code><Message>{new string('x', 300)}{WebUtility.HtmlEncode(document)}</Message></Error></ErrorResponse>";
        var handler = new AnsweringHandler(HttpStatusCode.BadRequest, echo);

        var refused = await Assert.ThrowsAsync<IamRefusedException>(() => Client(handler).PutAsync(Role, Policy, document, CancellationToken.None));

        Assert.Equal("MalformedPolicyDocument", refused.ErrorCode);
        Assert.Contains(Role, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("private-marker", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_call_is_a_signed_form_post_of_iam_s_query_api()
    {
        var handler = new AnsweringHandler(HttpStatusCode.OK, "<DeleteRolePolicyResponse><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DeleteRolePolicyResponse>");

        await Client(handler).DeleteAsync(Role, Policy, CancellationToken.None);

        var (request, form) = Assert.Single(handler.Received);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"Action=DeleteRolePolicy&Version=2010-05-08&RoleName={Role}&PolicyName={Policy}", form);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIAIAMANSWERTESTS01/", request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        Assert.Contains("/us-east-1/iam/aws4_request", request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
    }

    private static IamQueryClient Client(HttpMessageHandler handler) => new(
        new HttpClient(handler),
        new BasicAWSCredentials("AKIAIAMANSWERTESTS01", "iamAnswerTestsSecretAccessKey00000000000"),
        new IamClientOptions { Endpoint = new Uri("https://iam.example.test/"), BackoffBase = TimeSpan.FromMilliseconds(1) },
        TimeProvider.System);

    private sealed class AnsweringHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string Form)> Received { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Received.Add((request, await request.Content!.ReadAsStringAsync(cancellationToken)));
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
        }
    }
}
