using System.Text;
using System.Text.Json;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Lambda.Tests.Events;

public sealed class APIGatewayHttpApiV2ProxyRequestTests
{
    [Fact]
    public void The_documentations_event_reads_every_field()
    {
        var request = Samples.Read("apigateway-docs-payload-v2.json");

        Assert.Equal("2.0", request.Version);
        Assert.Equal("$default", request.RouteKey);
        Assert.Equal("/my/path", request.RawPath);
        Assert.Equal("parameter1=value1&parameter1=value2&parameter2=value", request.RawQueryString);
        Assert.Equal(["cookie1", "cookie2"], request.Cookies);
        Assert.Equal(new Dictionary<string, string> { ["header1"] = "value1", ["header2"] = "value1,value2" }, request.Headers);
        // Format 2.0 has no multi-value fields: a repeated parameter arrives once, its values joined by commas.
        Assert.Equal(new Dictionary<string, string> { ["parameter1"] = "value1,value2", ["parameter2"] = "value" }, request.QueryStringParameters);
        Assert.Equal(new Dictionary<string, string> { ["parameter1"] = "value1" }, request.PathParameters);
        Assert.Equal(new Dictionary<string, string> { ["stageVariable1"] = "value1", ["stageVariable2"] = "value2" }, request.StageVariables);
        Assert.Equal("Hello from Lambda", request.Body);
        Assert.False(request.IsBase64Encoded);
        Assert.Equal("Hello from Lambda"u8.ToArray(), request.GetBodyBytes());

        var context = request.RequestContext;
        Assert.NotNull(context);
        Assert.Equal("123456789012", context.AccountId);
        Assert.Equal("api-id", context.ApiId);
        Assert.Equal("id.execute-api.us-east-1.amazonaws.com", context.DomainName);
        Assert.Equal("id", context.DomainPrefix);
        Assert.Equal("id", context.RequestId);
        Assert.Equal("$default", context.RouteKey);
        Assert.Equal("$default", context.Stage);
        Assert.Equal("12/Mar/2020:19:03:58 +0000", context.Time);
        Assert.Equal(1583348638390, context.TimeEpoch);
        Assert.Equal(
            new APIGatewayHttpApiV2ProxyRequest.HttpDescription { Method = "POST", Path = "/my/path", Protocol = "HTTP/1.1", SourceIp = "IP", UserAgent = "agent" },
            context.Http);

        var authorizer = context.Authorizer;
        Assert.NotNull(authorizer?.Jwt);
        Assert.Equal(new Dictionary<string, string> { ["claim1"] = "value1", ["claim2"] = "value2" }, authorizer.Jwt.Claims);
        Assert.Equal(["scope1", "scope2"], authorizer.Jwt.Scopes);
        Assert.NotNull(authorizer.Lambda);
        Assert.Equal(["exampleKey1", "exampleKey2"], authorizer.Lambda.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("exampleValue1", authorizer.Lambda["exampleKey1"].GetString());
        Assert.Equal("exampleValue2", authorizer.Lambda["exampleKey2"].GetString());
        Assert.Null(authorizer.IAM);
    }

    [Fact]
    public void The_runtime_support_event_reads_every_field()
    {
        var request = Samples.Read("http-api-v2-request.json");

        Assert.Equal("2.0", request.Version);
        Assert.Equal("$default", request.RouteKey);
        Assert.Equal("/my/path", request.RawPath);
        Assert.Equal("parameter1=value1&parameter1=value2&parameter2=value", request.RawQueryString);
        Assert.Equal(["cookie1", "cookie2"], request.Cookies);
        Assert.Equal(new Dictionary<string, string> { ["Header1"] = "value1", ["Header2"] = "value2" }, request.Headers);
        Assert.Equal(new Dictionary<string, string> { ["parameter1"] = "value1,value2", ["parameter2"] = "value" }, request.QueryStringParameters);
        Assert.Null(request.PathParameters);
        Assert.Equal("Hello from Lambda", request.Body);
        Assert.True(request.IsBase64Encoded);

        var context = request.RequestContext;
        Assert.NotNull(context);
        Assert.Equal("request-id", context.RequestId);
        Assert.Equal("$default-route", context.RouteKey);
        Assert.Equal("$default-stage", context.Stage);
        Assert.Equal("domain-id", context.DomainPrefix);
        Assert.Equal(1583348638390, context.TimeEpoch);
        Assert.Equal("POST", context.Http?.Method);
        Assert.Equal(new Dictionary<string, string> { ["claim1"] = "value1", ["claim2"] = "value2" }, context.Authorizer?.Jwt?.Claims);
        Assert.Equal(["scope1", "scope2"], context.Authorizer?.Jwt?.Scopes);
        Assert.Null(context.Authorizer?.IAM);
        Assert.Null(context.Authorizer?.Lambda);
    }

    [Fact]
    public void An_iam_authorized_event_reads_the_callers_identity()
    {
        var request = Samples.Read("http-api-v2-request-iam-authorizer.json");

        Assert.Equal(new Dictionary<string, string> { ["proxy"] = "hello/world" }, request.PathParameters);
        Assert.Equal("{\r\n\t\"a\": 1\r\n}", request.Body);
        Assert.False(request.IsBase64Encoded);
        Assert.Equal("12/Mar/2020:19:03:58+0000", request.RequestContext?.Time);
        Assert.Equal("GET", request.RequestContext?.Http?.Method);

        var authorizer = request.RequestContext?.Authorizer;
        Assert.NotNull(authorizer?.IAM);
        Assert.Null(authorizer.Jwt);
        Assert.Null(authorizer.Lambda);
        var iam = authorizer.IAM;
        Assert.Equal("ARIA2ZJZYVUEREEIHAKY", iam.AccessKey);
        Assert.Equal("1234567890", iam.AccountId);
        Assert.Equal("AROA7ZJZYVRE7C3DUXHH6:CognitoIdentityCredentials", iam.CallerId);
        Assert.Equal("AwsOrgId", iam.PrincipalOrgId);
        Assert.Equal("arn:aws:iam::1234567890:user/Admin", iam.UserArn);
        Assert.Equal("AROA2ZJZYVRE7Y3TUXHH6", iam.UserId);
        Assert.NotNull(iam.CognitoIdentity);
        var cognito = iam.CognitoIdentity.Value;
        Assert.Equal(["foo"], cognito.GetProperty("amr").EnumerateArray().Select(value => value.GetString()));
        Assert.Equal("us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce", cognito.GetProperty("identityId").GetString());
        Assert.Equal("us-east-1:4f291106-8703-466b-8f2b-3ecee1ca56ce", cognito.GetProperty("identityPoolId").GetString());
    }

    [Fact]
    public void A_lambda_authorized_event_reads_the_authorizers_context()
    {
        var request = Samples.Read("http-api-v2-request-lambda-authorizer.json");

        var authorizer = request.RequestContext?.Authorizer;
        Assert.NotNull(authorizer?.Lambda);
        Assert.Equal("value", Assert.Single(authorizer.Lambda, entry => entry.Key == "key").Value.GetString());
        Assert.Null(authorizer.IAM);
        Assert.Null(authorizer.Jwt);
    }

    [Fact]
    public void A_lambda_authorizers_context_keeps_its_json_types()
    {
        // A Lambda authorizer's context may hold numbers, booleans and objects, not only strings.
        const string Event = """{"version":"2.0","requestContext":{"authorizer":{"lambda":{"tenant":"acme","tier":3,"admin":false,"groups":["a","b"]}}}}""";

        var lambda = JsonSerializer.Deserialize(Event, LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest)?.RequestContext?.Authorizer?.Lambda;

        Assert.NotNull(lambda);
        Assert.Equal("acme", lambda["tenant"].GetString());
        Assert.Equal(3, lambda["tier"].GetInt32());
        Assert.Equal(JsonValueKind.False, lambda["admin"].ValueKind);
        Assert.Equal(2, lambda["groups"].GetArrayLength());
    }

    [Theory]
    [InlineData("apigateway-docs-payload-v2.json", "header2", "value1,value2")]
    [InlineData("apigateway-docs-payload-v2.json", "Header2", "value1,value2")]
    [InlineData("apigateway-docs-payload-v2.json", "HEADER1", "value1")]
    [InlineData("http-api-v2-request.json", "header1", "value1")]
    [InlineData("http-api-v2-request.json", "Header2", "value2")]
    [InlineData("http-api-v2-request.json", "header3", null)]
    public void A_header_is_found_whatever_the_case_of_its_name(string sample, string name, string? expected) =>
        Assert.Equal(expected, Samples.Read(sample).GetHeader(name));

    [Fact]
    public void An_event_without_headers_has_no_header() =>
        Assert.Null(new APIGatewayHttpApiV2ProxyRequest().GetHeader("content-type"));

    [Fact]
    public void A_base64_body_is_decoded()
    {
        byte[] binary = [0x00, 0xFF, 0x10, 0x80, 0x7F];
        var request = new APIGatewayHttpApiV2ProxyRequest { Body = Convert.ToBase64String(binary), IsBase64Encoded = true };

        Assert.Equal(binary, request.GetBodyBytes());
    }

    [Fact]
    public void A_text_body_is_its_utf8_bytes()
    {
        var request = new APIGatewayHttpApiV2ProxyRequest { Body = """{"tenant":"café"}""", IsBase64Encoded = false };

        Assert.Equal(Encoding.UTF8.GetBytes("""{"tenant":"café"}"""), request.GetBodyBytes());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(null, true)]
    [InlineData("", false)]
    [InlineData("", true)]
    public void An_absent_body_is_no_bytes(string? body, bool isBase64Encoded) =>
        Assert.Empty(new APIGatewayHttpApiV2ProxyRequest { Body = body, IsBase64Encoded = isBase64Encoded }.GetBodyBytes());
}
