using System.Net;
using CredentialVending.Identity;

namespace CredentialVending.Tests.Identity;

public sealed class IssuerAddressesTests
{
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.170.2")]
    [InlineData("127.0.0.1")]
    [InlineData("127.53.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("224.0.0.251")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::ffff:100.64.0.1")]
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("ff02::1")]
    public void An_address_off_the_public_internet_is_refused_for_https_fetches(string address)
    {
        Assert.NotNull(IssuerAddresses.NotPublicBecause(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("52.94.76.10")]
    [InlineData("8.8.8.8")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("2600:1f18::1")]
    [InlineData("::ffff:52.94.76.10")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void A_public_address_is_allowed(string address)
    {
        Assert.Null(IssuerAddresses.NotPublicBecause(IPAddress.Parse(address)));
    }
}
