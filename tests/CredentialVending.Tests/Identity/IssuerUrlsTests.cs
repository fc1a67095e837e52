using CredentialVending.Identity;

namespace CredentialVending.Tests.Identity;

public sealed class IssuerUrlsTests
{
    [Theory]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf", false, true)]
    [InlineData("https://example.auth0.com/", false, true)]
    [InlineData("http://127.0.0.1:8080", true, true)]
    [InlineData("http://[::1]:8080", true, true)]
    [InlineData("http://localhost:8080", true, true)]
    [InlineData("http://127.0.0.1:8080", false, false)]
    [InlineData("http://localhost:8080", false, false)]
    [InlineData("http://127.0.0.2:8080", true, false)]
    [InlineData("http://0.0.0.0:8080", true, false)]
    [InlineData("http://localhost.example.com:8080", true, false)]
    [InlineData("http://issuer.example.com", true, false)]
    [InlineData("ftp://127.0.0.1:21", true, false)]
    [InlineData("https://user:pass@issuer.example.com", false, false)]
    [InlineData("issuer.example.com", false, false)]
    [InlineData("/relative", true, false)]
    public void Only_https_or_flagged_loopback_http_is_allowed(string url, bool allowInsecureLoopback, bool allowed)
    {
        Assert.Equal(allowed, IssuerUrls.IsAllowed(url, allowInsecureLoopback, out var reason));
        Assert.Equal(allowed, reason.Length == 0);
    }
}
