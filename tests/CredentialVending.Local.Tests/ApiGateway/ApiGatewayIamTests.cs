using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.Local.Tests.ApiGateway;

/// <summary>The AWS_IAM authorizer of the admin routes: a genuine SigV4 signature for execute-api, or 403 Forbidden.</summary>
public sealed class ApiGatewayIamTests(EchoGateway echo) : IClassFixture<EchoGateway>
{
    [Fact]
    public async Task An_unsigned_admin_call_is_403_forbidden_and_never_reaches_the_function()
    {
        using var response = await echo.Http.GetAsync("/admin/tenants/acme");

        await AssertForbidden(response);
    }

    [Fact]
    public async Task A_signed_admin_call_reaches_the_function_with_the_iam_authorizer_context()
    {
        using var signed = echo.Signed();
        using var body = new StringContent("{\"tenantId\":\"acme\"}", Encoding.UTF8, "application/json");

        using var response = await signed.PutAsync("/admin/tenants/acme?dryRun=no", body);
        var evt = await EchoGateway.EventOf(response);

        var iam = evt.GetProperty("requestContext").GetProperty("authorizer").GetProperty("iam");
        Assert.Equal(EchoGateway.Admin.Arn, iam.GetProperty("userArn").GetString());
        Assert.Equal(EchoGateway.Admin.AccessKeyId, iam.GetProperty("accessKey").GetString());
        Assert.Equal("PUT /admin/tenants/{tenantId}", evt.GetProperty("routeKey").GetString());
        Assert.Equal("{\"tenantId\":\"acme\"}", evt.GetProperty("body").GetString());
    }

    public static TheoryData<string, IamCredential, string> BadSigners => new()
    {
        { "a wrong secret", EchoGateway.Admin with { SecretAccessKey = "notTheSecret0000000000000000000000000000" }, "us-east-1" },
        { "an unknown key", EchoGateway.Admin with { AccessKeyId = "AKIAUNKNOWN000000000" }, "us-east-1" },
        { "another region", EchoGateway.Admin, "eu-west-1" },
    };

    [Theory]
    [MemberData(nameof(BadSigners))]
    public async Task A_signature_that_does_not_verify_is_403_forbidden(string why, IamCredential credential, string region)
    {
        using var signed = echo.Signed(credential, region);

        using var response = await signed.GetAsync("/admin/tenants");

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, why);
        await AssertForbidden(response);
    }

    [Fact]
    public async Task A_signature_for_another_service_or_over_another_body_is_403_forbidden()
    {
        using var http = new HttpClient { BaseAddress = echo.Gateway.Url };
        var (authorization, date) = await SignatureOf("GET", "/admin/tenants");
        using var otherService = new HttpRequestMessage(HttpMethod.Get, "/admin/tenants");
        otherService.Headers.TryAddWithoutValidation("Authorization", authorization.Replace("/execute-api/", "/sts/", StringComparison.Ordinal));
        otherService.Headers.TryAddWithoutValidation("X-Amz-Date", date);
        using var replayed = new HttpRequestMessage(HttpMethod.Post, "/admin/tenants/acme/preview") { Content = new StringContent("{}") };
        var (signedEmpty, emptyDate) = await SignatureOf("POST", "/admin/tenants/acme/preview");
        replayed.Headers.TryAddWithoutValidation("Authorization", signedEmpty);
        replayed.Headers.TryAddWithoutValidation("X-Amz-Date", emptyDate);

        await AssertForbidden(await http.SendAsync(otherService));
        await AssertForbidden(await http.SendAsync(replayed));
    }

    [Fact]
    public async Task Curl_signing_on_its_own_is_accepted_as_aws_would_accept_it()
    {
        var admin = EchoGateway.Admin;
        var start = new ProcessStartInfo("curl", ["-s", "--aws-sigv4", "aws:amz:us-east-1:execute-api", "--user", $"{admin.AccessKeyId}:{admin.SecretAccessKey}",
            "-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"claims\":{\"sub\":\"alice\"}}", new Uri(echo.Gateway.Url!, "/admin/tenants/acme/preview?x=1").ToString()])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var curl = Process.Start(start)!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();

        var evt = JsonDocument.Parse(output).RootElement;
        Assert.Equal(admin.Arn, evt.GetProperty("requestContext").GetProperty("authorizer").GetProperty("iam").GetProperty("userArn").GetString());
    }

    // A genuine signature over an empty body, to be sent with other content or scope.
    private async Task<(string Authorization, string Date)> SignatureOf(string method, string path)
    {
        var capture = new CaptureHandler();
        using var signer = new HttpClient(new SigV4SigningHandler(EchoGateway.Admin, "us-east-1", inner: capture)) { BaseAddress = echo.Gateway.Url };
        using var _ = await signer.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        return (capture.Request!.Headers.GetValues("Authorization").Single(), capture.Request.Headers.GetValues("X-Amz-Date").Single());
    }

    private static async Task AssertForbidden(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("x-echo"));
        Assert.Equal("{\"message\":\"Forbidden\"}", await response.Content.ReadAsStringAsync());
    }

    private sealed class CaptureHandler : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}
