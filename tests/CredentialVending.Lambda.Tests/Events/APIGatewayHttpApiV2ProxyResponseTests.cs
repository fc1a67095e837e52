using System.Text.Json;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Lambda.Tests.Events;

/// <summary>The response as API Gateway's "Lambda function response for format 2.0" names its fields.</summary>
public sealed class APIGatewayHttpApiV2ProxyResponseTests
{
    [Fact]
    public void A_response_serializes_with_camel_case_names_and_without_nulls()
    {
        var response = new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = 201,
            Headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
            Body = """{"leaseId":"01JDCV"}""",
        };

        using var json = Serialize(response);

        var root = json.RootElement;
        Assert.Equal(["statusCode", "headers", "body", "isBase64Encoded"], root.EnumerateObject().Select(property => property.Name));
        Assert.Equal(201, root.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/json", root.GetProperty("headers").GetProperty("content-type").GetString());
        Assert.Equal("""{"leaseId":"01JDCV"}""", root.GetProperty("body").GetString());
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void Header_names_are_written_as_given()
    {
        var response = new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = 200,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/problem+json", ["X-Request-Id"] = "id" },
        };

        using var json = Serialize(response);

        Assert.Equal(["Content-Type", "X-Request-Id"], json.RootElement.GetProperty("headers").EnumerateObject().Select(header => header.Name));
    }

    [Fact]
    public void Cookies_and_a_base64_body_are_written_as_the_format_names_them()
    {
        var response = new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = 200,
            Cookies = ["cookie1", "cookie2"],
            Body = "AAEC",
            IsBase64Encoded = true,
        };

        using var json = Serialize(response);

        var root = json.RootElement;
        Assert.Equal(["statusCode", "cookies", "body", "isBase64Encoded"], root.EnumerateObject().Select(property => property.Name));
        Assert.Equal(["cookie1", "cookie2"], root.GetProperty("cookies").EnumerateArray().Select(cookie => cookie.GetString()));
        Assert.True(root.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void An_empty_response_is_its_status_alone()
    {
        using var json = Serialize(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 204 });

        Assert.Equal("""{"statusCode":204,"isBase64Encoded":false}""", json.RootElement.GetRawText());
    }

    private static JsonDocument Serialize(APIGatewayHttpApiV2ProxyResponse response) =>
        JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(response, LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyResponse));
}
