using CredentialVending.Common;
using CredentialVending.Revocation.Iam;

namespace CredentialVending.Tests.Revocation;

public sealed class IamClientOptionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_an_override_iam_is_aws_s_global_endpoint(string? value)
    {
        Assert.Equal(new Uri("https://iam.amazonaws.com/"), IamClientOptions.FromEnvironment(value).Value!.Endpoint);
    }

    [Theory]
    [InlineData("https://iam.amazonaws.com")]
    [InlineData("https://iam.us-gov.amazonaws.com/")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:4566/")]
    [InlineData("http://[::1]:4566")]
    public void An_https_endpoint_or_a_loopback_one_is_taken(string value)
    {
        var outcome = IamClientOptions.FromEnvironment(value);

        Assert.False(outcome.IsRefused);
        Assert.Equal(new Uri(value), outcome.Value!.Endpoint);
    }

    [Theory]
    [InlineData("http://iam.amazonaws.com", "https unless it is on loopback")]
    [InlineData("http://10.0.0.8:4566", "https unless it is on loopback")]
    [InlineData("http://127.0.0.1.nip.io:4566", "https unless it is on loopback")]
    [InlineData("ftp://127.0.0.1/", "is not an http(s) URL")]
    [InlineData("iam.amazonaws.com", "is not an http(s) URL")]
    [InlineData("https://user:pw@iam.amazonaws.com/", "must not carry user information")]
    [InlineData("https://iam.amazonaws.com/?a=b", "must not carry user information, a query or a fragment")]
    public void Anything_else_is_refused_naming_the_variable(string value, string problem)
    {
        var refusal = IamClientOptions.FromEnvironment(value).Refusal!;

        Assert.Equal(Codes.InvalidRequest, refusal.Code);
        var error = Assert.Single(refusal.Errors!);
        Assert.Equal("AWS_ENDPOINT_URL_IAM", error.Path);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
