using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Oidc;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Tests.Sts;

/// <summary>The trust a brokered tenant's role puts in the service's issuer: audience, a <c>sub</c> condition, and the tags claim.</summary>
public sealed class BrokeredTrustTests : IAsyncLifetime
{
    private const string AcmeRole = "arn:aws:iam::123456789012:role/tenant-acme-brokered";
    private const string GlobexRole = "arn:aws:iam::123456789012:role/tenant-globex-brokered";
    private const string Audience = "credential-vending";
    private DevelopmentIssuer _issuer = null!;
    private StsEmulator _sts = null!;

    public async Task InitializeAsync()
    {
        _issuer = await DevelopmentIssuer.StartAsync();
        _sts = await StsEmulator.StartAsync(StsTestKit.Options with
        {
            WebIdentityTrusts =
            [
                new WebIdentityTrust(_issuer.Issuer, Audience) { RoleArn = AcmeRole, SubjectLike = "acme:*" },
                new WebIdentityTrust(_issuer.Issuer, Audience) { RoleArn = GlobexRole, SubjectLike = "globex:*" },
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await _sts.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task The_token_s_tags_become_the_session_s_principal_tags_and_its_source_identity_the_session_s()
    {
        var token = Token("acme:alice", Tags(("tenant", "acme"), ("subject", "alice")), transitive: ["tenant"], sourceIdentity: "alice");

        var response = await AssumeAsync(AcmeRole, token);

        Assert.Equal(("acme:alice", Audience, "alice"), (response.SubjectFromWebIdentityToken, response.Audience, response.SourceIdentity));
        Assert.True(_sts.TryFindSession(response.Credentials.AccessKeyId, out var session));
        Assert.Equal([new("tenant", "acme"), new("subject", "alice")], session.Tags);
        Assert.Equal(["tenant"], session.TransitiveTagKeys);
        Assert.Equal("alice", session.SourceIdentity);
        Assert.Equal(43200, (int)(session.Expiration - DateTimeOffset.UtcNow).TotalSeconds, tolerance: 5);
    }

    [Fact]
    public async Task A_token_without_the_tags_claim_gives_a_session_without_tags()
    {
        var response = await AssumeAsync(AcmeRole, Token("acme:alice", tags: null));

        Assert.True(_sts.TryFindSession(response.Credentials.AccessKeyId, out var session));
        Assert.Empty(session.Tags);
    }

    [Theory]
    [InlineData("acme:*", "acme:alice", true)]
    [InlineData("acme:*", "acme:", true)]
    [InlineData("acme:*", "globex:alice", false)]
    [InlineData("acme:*", "acme", false)]
    [InlineData("acme:*", "ACME:alice", false)]
    [InlineData("acme:*", "xacme:alice", false)]
    [InlineData("acme:?ob", "acme:bob", true)]
    [InlineData("acme:?ob", "acme:bbob", false)]
    [InlineData("acme.*", "acmeX:alice", false)]
    public void A_sub_condition_is_string_like(string condition, string subject, bool admitted) =>
        Assert.Equal(admitted, new WebIdentityTrust("https://issuer.example", Audience) { SubjectLike = condition }.Admits(subject));

    [Fact]
    public async Task A_token_minted_for_one_tenant_cannot_assume_another_tenant_s_role()
    {
        var token = Token("acme:alice", Tags(("tenant", "acme")));

        var refused = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(GlobexRole, token));

        Assert.Equal(("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"), (refused.ErrorCode, refused.Message));
        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Equal("AccessDenied", _sts.Calls.Single().ErrorCode);
    }

    [Fact]
    public async Task A_trust_added_while_the_emulator_runs_opens_its_role_to_its_tenant_s_subjects_only()
    {
        const string InitechRole = "arn:aws:iam::123456789012:role/tenant-initech-brokered";
        var before = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(InitechRole, Token("initech:bob", tags: null)));

        _sts.AddWebIdentityTrust(new WebIdentityTrust(_issuer.Issuer, Audience) { RoleArn = InitechRole, SubjectLike = "initech:*" });
        var opened = await AssumeAsync(InitechRole, Token("initech:bob", tags: null));
        var foreign = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(InitechRole, Token("acme:bob", tags: null)));

        Assert.Equal("AccessDenied", before.ErrorCode);
        Assert.Equal("initech:bob", opened.SubjectFromWebIdentityToken);
        Assert.Equal("AccessDenied", foreign.ErrorCode);
    }

    [Fact]
    public void A_trust_added_for_a_plain_http_issuer_off_loopback_is_refused() =>
        Assert.Throws<ArgumentException>(() => _sts.AddWebIdentityTrust(new WebIdentityTrust("http://issuer.example", Audience)));

    [Fact]
    public async Task A_token_for_another_audience_is_refused_as_an_incorrect_audience()
    {
        var token = Token("acme:alice", Tags(("tenant", "acme")), audience: "someone-else");

        var refused = await Assert.ThrowsAsync<InvalidIdentityTokenException>(() => AssumeAsync(AcmeRole, token));

        Assert.Equal("Incorrect token audience", refused.Message);
    }

    [Theory]
    [InlineData("""{"principal_tags":{"tenant":"acme"}}""")]
    [InlineData("""{"principal_tags":{"tenant":["acme","globex"]}}""")]
    [InlineData("""{"principal_tags":{"tenant":[7]}}""")]
    [InlineData("""{"principal_tags":["tenant","acme"]}""")]
    [InlineData("""{"transitive_tag_keys":[]}""")]
    [InlineData("""{"principal_tags":{"tenant":["acme"]},"transitive_tag_keys":["subject"]}""")]
    [InlineData("""{"principal_tags":{"tenant":["acme"],"Tenant":["globex"]}}""")]
    [InlineData("""{"principal_tags":{"tenant":["acme"]},"transitive_tag_keys":"tenant"}""")]
    [InlineData("""{"principal_tags":{"ten#ant":["acme"]}}""")]
    [InlineData("\"tenant=acme\"")]
    public async Task A_tags_claim_that_breaks_sts_s_rules_is_an_invalid_identity_token(string claim)
    {
        var token = Token("acme:alice", JsonNode.Parse(claim));

        var refused = await Assert.ThrowsAsync<InvalidIdentityTokenException>(() => AssumeAsync(AcmeRole, token));

        Assert.StartsWith("The web identity token's session tags are invalid", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_sts.Calls, c => c.ErrorCode is null);
    }

    [Theory]
    [InlineData(50, false)]
    [InlineData(51, true)]
    public async Task A_token_carries_at_most_50_tags(int count, bool refused)
    {
        var token = Token("acme:alice", Tags([.. Enumerable.Range(0, count).Select(i => ($"k{i}", "v"))]));

        var error = await Record.ExceptionAsync(() => AssumeAsync(AcmeRole, token));

        Assert.Equal(refused, error is InvalidIdentityTokenException);
        Assert.Equal(refused, error is not null);
    }

    private Task<AssumeRoleWithWebIdentityResponse> AssumeAsync(string roleArn, string token)
    {
        using var client = StsTestKit.Client(_sts);
        return client.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = roleArn,
            RoleSessionName = "01JDQ3ZV7W5K8Q4T0N9B2XG6AC",
            WebIdentityToken = token,
            DurationSeconds = 43200,
        });
    }

    private static JsonObject Tags(params (string Key, string Value)[] tags) => new()
    {
        ["principal_tags"] = new JsonObject(tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)new JsonArray(t.Value)))),
        ["transitive_tag_keys"] = new JsonArray(),
    };

    private string Token(string subject, JsonNode? tags, string[]? transitive = null, string? sourceIdentity = null, string audience = Audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new JsonObject { ["iss"] = _issuer.Issuer, ["aud"] = audience, ["sub"] = subject, ["iat"] = now, ["exp"] = now + 300, ["jti"] = "01JDQ3ZV7W5K8Q4T0N9B2XG6AC" };
        if (tags is not null)
        {
            if (transitive is not null && tags is JsonObject claim)
            {
                claim["transitive_tag_keys"] = new JsonArray([.. transitive.Select(k => (JsonNode)k)]);
            }

            payload["https://aws.amazon.com/tags"] = tags;
        }

        if (sourceIdentity is not null)
        {
            payload["https://aws.amazon.com/source_identity"] = sourceIdentity;
        }

        var header = JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = _issuer.KeyIdFor("RS256") });
        return _issuer.SignRaw(header, payload.ToJsonString());
    }
}
