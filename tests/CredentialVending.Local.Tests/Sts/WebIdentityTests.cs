using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Oidc;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Tests.Sts;

public sealed class WebIdentityTests : IAsyncLifetime
{
    private const string WebRole = "arn:aws:iam::123456789012:role/tenant-initech-web";
    private const string ClosedRole = "arn:aws:iam::123456789012:role/closed";
    private DevelopmentIssuer _issuer = null!;
    private StsEmulator _sts = null!;

    public async Task InitializeAsync()
    {
        _issuer = await DevelopmentIssuer.StartAsync();
        _sts = await StsEmulator.StartAsync(StsTestKit.Options with
        {
            WebIdentityTrusts = [new WebIdentityTrust(_issuer.Issuer, "credvend-local") { RoleArn = WebRole }],
        });
    }

    public async Task DisposeAsync()
    {
        await _sts.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    public async Task Development_issuer_tokens_are_accepted(string algorithm)
    {
        var token = _issuer.IssueToken(new TokenRequest
        {
            Subject = "alice",
            Algorithm = algorithm,
            Claims = new Dictionary<string, object> { ["https://aws.amazon.com/source_identity"] = "alice" },
        });

        var response = await AssumeAsync(token, durationSeconds: 900);

        Assert.Equal("alice", response.SubjectFromWebIdentityToken);
        Assert.Equal("credvend-local", response.Audience);
        Assert.Equal("alice", response.SourceIdentity);
        Assert.Equal($"arn:aws:iam::123456789012:oidc-provider/{new Uri(_issuer.Issuer).Authority}", response.Provider);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/tenant-initech-web/lease-w", response.AssumedRoleUser.Arn);
        Assert.Matches("^ASIA[A-Z2-7]{16}$", response.Credentials.AccessKeyId);
        var call = Assert.Single(_sts.Calls);
        Assert.True(call.HadWebIdentityToken);
        Assert.False(call.Signed);
        Assert.DoesNotContain(token, call.ToString(), StringComparison.Ordinal);
        Assert.True(_sts.TryFindSession(response.Credentials.AccessKeyId, out var session));
        Assert.Equal((_issuer.Issuer, "alice"), (session.WebIdentityIssuer, session.WebIdentitySubject));
    }

    [Fact]
    public async Task Success_answers_are_sts_xml_with_the_request_id()
    {
        var (status, body, requestId) = await StsTestKit.PostAsync(_sts,
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", WebRole), ("RoleSessionName", "raw"),
            ("WebIdentityToken", _issuer.IssueToken(new TokenRequest { Subject = "alice" })));

        Assert.Equal(200, status);
        var root = System.Xml.Linq.XElement.Parse(body);
        System.Xml.Linq.XNamespace ns = "https://sts.amazonaws.com/doc/2011-06-15/";
        Assert.Equal(ns + "AssumeRoleWithWebIdentityResponse", root.Name);
        var result = root.Element(ns + "AssumeRoleWithWebIdentityResult")!;
        Assert.Equal(
            ["Credentials", "AssumedRoleUser", "SubjectFromWebIdentityToken", "Audience", "Provider"],
            result.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"], result.Element(ns + "Credentials")!.Elements().Select(e => e.Name.LocalName));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", result.Element(ns + "Credentials")!.Element(ns + "Expiration")!.Value);
        Assert.Equal(requestId, root.Element(ns + "ResponseMetadata")!.Element(ns + "RequestId")!.Value);
    }

    [Fact]
    public async Task Expired_token_is_expired_token_exception()
    {
        var token = _issuer.IssueToken(new TokenRequest { Subject = "alice", IssuedAt = DateTimeOffset.UtcNow.AddHours(-2) });

        await AssertRefusedAsync(token, "ExpiredTokenException", 400);
    }

    [Fact]
    public async Task Unknown_issuer_is_invalid_identity_token()
    {
        var token = _issuer.IssueToken(new TokenRequest { Subject = "alice", Issuer = "https://login.example.com" });

        var error = await AssertRefusedAsync(token, "InvalidIdentityToken", 400);
        Assert.Equal("No OpenIDConnect provider found in your account for https://login.example.com", error.Message);
    }

    [Fact]
    public async Task Wrong_audience_is_invalid_identity_token()
    {
        var token = _issuer.IssueToken(new TokenRequest { Subject = "alice", Audiences = ["someone-else"] });

        var error = await AssertRefusedAsync(token, "InvalidIdentityToken", 400);
        Assert.Equal("Incorrect token audience", error.Message);
    }

    [Fact]
    public async Task Role_no_trust_opens_is_access_denied()
    {
        var token = _issuer.IssueToken(new TokenRequest { Subject = "alice" });

        await AssertRefusedAsync(token, "AccessDenied", 403, ClosedRole);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("alg none")]
    [InlineData("hmac with the public key")]
    [InlineData("not a jwt")]
    public async Task Hostile_tokens_are_invalid_identity_token(string kind)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = $$"""{"iss":"{{_issuer.Issuer}}","sub":"alice","aud":"credvend-local","iat":{{now}},"exp":{{now + 600}}}""";
        var token = kind switch
        {
            "tampered" => Tamper(_issuer.IssueToken(new TokenRequest { Subject = "alice" })),
            "alg none" => _issuer.SignRaw("""{"alg":"none","typ":"JWT"}""", payload, DevelopmentSigningKey.Unsigned),
            "hmac with the public key" => _issuer.SignRaw($$"""{"alg":"HS256","typ":"JWT","kid":"{{_issuer.KeyIdFor("RS256")}}"}""", payload, DevelopmentSigningKey.HmacWithRsaPublicKeyPem),
            _ => "definitely-not-a-jwt",
        };

        await AssertRefusedAsync(token, "InvalidIdentityToken", 400);
    }

    [Fact]
    public async Task Unreachable_jwks_is_idp_communication_error()
    {
        _issuer.JwksDown = true;

        await AssertRefusedAsync(_issuer.IssueToken(new TokenRequest { Subject = "alice" }), "IDPCommunicationError", 400);
    }

    [Fact]
    public async Task Keys_are_cached_and_fetched_again_after_rotation()
    {
        await AssumeAsync(_issuer.IssueToken(new TokenRequest { Subject = "alice" }));
        await AssumeAsync(_issuer.IssueToken(new TokenRequest { Subject = "bob" }));
        Assert.Equal(1, _issuer.JwksFetchCount);

        _issuer.RotateKeys();
        await AssumeAsync(_issuer.IssueToken(new TokenRequest { Subject = "carol" }));

        Assert.Equal(2, _issuer.JwksFetchCount);
    }

    private async Task<AssumeRoleWithWebIdentityResponse> AssumeAsync(string token, string roleArn = WebRole, int? durationSeconds = null)
    {
        using var client = StsTestKit.Client(_sts, new AnonymousAWSCredentials());
        return await client.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = roleArn,
            RoleSessionName = "lease-w",
            WebIdentityToken = token,
            DurationSeconds = durationSeconds,
        });
    }

    private async Task<AmazonSecurityTokenServiceException> AssertRefusedAsync(string token, string code, int status, string roleArn = WebRole)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(token, roleArn));
        Assert.Equal((code, status), (error.ErrorCode, (int)error.StatusCode));
        return error;
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1])));
        var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload.Replace("\"alice\"", "\"admin\"", StringComparison.Ordinal)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{parts[0]}.{forged}.{parts[2]}";
    }

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}
