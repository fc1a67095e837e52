using CredentialVending.Common;
using CredentialVending.Issuing;

namespace CredentialVending.Tests.Issuing;

public sealed class StsEndpointsTests
{
    [Fact]
    public void Regions_are_kept_in_order_with_aws_endpoints()
    {
        var outcome = StsEndpoints.Parse("us-east-1, us-west-2,eu-central-1");

        Assert.False(outcome.IsRefused);
        Assert.Equal(
            [new StsEndpoint("us-east-1", null), new StsEndpoint("us-west-2", null), new StsEndpoint("eu-central-1", null)],
            outcome.Value!);
    }

    [Fact]
    public void Region_equals_url_entries_name_a_local_endpoint()
    {
        var outcome = StsEndpoints.Parse("us-east-1=http://127.0.0.1:4566,us-west-2=http://127.0.0.1:4567/,eu-west-1");

        Assert.False(outcome.IsRefused);
        Assert.Equal(new Uri("http://127.0.0.1:4566"), outcome.Value![0].ServiceUrl);
        Assert.Equal("us-west-2", outcome.Value[1].Region);
        Assert.Null(outcome.Value[2].ServiceUrl);
    }

    [Theory]
    [InlineData("us-gov-west-1")]
    [InlineData("cn-northwest-1")]
    [InlineData("eu-isoe-west-1")]
    [InlineData("ap-southeast-5")]
    [InlineData("us-east-1=https://sts.us-east-1.amazonaws.com")]
    [InlineData("us-east-1=http://localhost:4566")]
    [InlineData("us-east-1=http://[::1]:4566")]
    public void Well_formed_entries_are_accepted(string value)
    {
        Assert.False(StsEndpoints.Parse(value).IsRefused);
    }

    [Theory]
    [InlineData("")]
    [InlineData("us-east-1,,us-west-2")]
    [InlineData("US-EAST-1")]
    [InlineData("useast1")]
    [InlineData("us-east-1=")]
    [InlineData("us-east-1=ftp://127.0.0.1:21")]
    [InlineData("us-east-1=127.0.0.1:4566")]
    [InlineData("us-east-1=http://sts.example.com")]
    [InlineData("us-east-1=https://user:pass@sts.example.com")]
    [InlineData("us-east-1,us-east-1")]
    public void Malformed_entries_are_refused(string value)
    {
        var outcome = StsEndpoints.Parse(value);

        Assert.Equal(Codes.InvalidRequest, outcome.Refusal?.Code);
        Assert.NotEmpty(outcome.Refusal!.Errors!);
    }

    [Fact]
    public void Every_bad_entry_is_listed_at_once()
    {
        var outcome = StsEndpoints.Parse("nowhere,us-east-1,us-west-2=ftp://x,");

        Assert.Equal(["STS_ENDPOINTS[0]", "STS_ENDPOINTS[2]", "STS_ENDPOINTS[3]"], outcome.Refusal!.Errors!.Select(e => e.Path));
    }
}
