using CredentialVending.Common;
using CredentialVending.Issuing;
using CredentialVending.Local.Oidc;
using CredentialVending.Local.Sts;
using CredentialVending.Tenants;
using CredentialVending.Tests.TestSupport;

namespace CredentialVending.Tests.Issuing;

/// <summary>AssumeRoleWithWebIdentity: the caller's token is the proof, so nothing is signed.</summary>
public sealed class WebIdentityIssuingTests
{
    [Fact]
    public async Task The_callers_token_is_exchanged_unsigned()
    {
        await using var oidc = await DevelopmentIssuer.StartAsync();
        await using var sts = await StsHarness.StartAsync([new WebIdentityTrust(oidc.Issuer, "credvend-local")]);

        var outcome = await sts.Issuer.IssueAsync(Request(oidc.IssueToken(new TokenRequest { Subject = "alice" })), CancellationToken.None);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
        Assert.Equal("us-east-1", outcome.Value!.Region);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/tenant-acme/01JDQ3ZV7W5K8Q4T0N9B2XG6AC", outcome.Value.AssumedRoleArn);
        var call = Assert.Single(sts.East.Calls);
        Assert.Equal("AssumeRoleWithWebIdentity", call.Action);
        Assert.False(call.Signed);
        Assert.True(call.HadWebIdentityToken);
        Assert.Equal(900, call.DurationSeconds);
        Assert.Contains("s3:GetObject", call.Policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_identity_needs_no_credentials_of_the_function()
    {
        await using var oidc = await DevelopmentIssuer.StartAsync();
        await using var sts = await StsHarness.StartAsync([new WebIdentityTrust(oidc.Issuer, "credvend-local")], anonymous: true);

        var outcome = await sts.Issuer.IssueAsync(Request(oidc.IssueToken(new TokenRequest { Subject = "alice" })), CancellationToken.None);

        Assert.False(outcome.IsRefused, outcome.Refusal?.Detail);
    }

    [Fact]
    public async Task Web_identity_fails_over_like_assume_role()
    {
        await using var oidc = await DevelopmentIssuer.StartAsync();
        await using var sts = await StsHarness.StartAsync([new WebIdentityTrust(oidc.Issuer, "credvend-local")]);
        sts.East.Faults.Current = StsFault.RegionDisabled;

        var outcome = await sts.Issuer.IssueAsync(Request(oidc.IssueToken(new TokenRequest { Subject = "alice" })), CancellationToken.None);

        Assert.Equal("us-west-2", outcome.Value?.Region);
    }

    [Fact]
    public async Task A_token_sts_rejects_is_invalid_token()
    {
        await using var oidc = await DevelopmentIssuer.StartAsync();
        await using var sts = await StsHarness.StartAsync([new WebIdentityTrust(oidc.Issuer, "credvend-local")]);
        var wrongAudience = oidc.IssueToken(new TokenRequest { Subject = "alice", Audiences = ["another-app"] });

        var outcome = await sts.Issuer.IssueAsync(Request(wrongAudience), CancellationToken.None);

        Assert.Equal(Codes.InvalidToken, outcome.Refusal?.Code);
        Assert.DoesNotContain(wrongAudience, outcome.Refusal!.Detail, StringComparison.Ordinal);
        Assert.Empty(sts.West.Calls);
    }

    [Fact]
    public async Task An_expired_token_is_invalid_token()
    {
        await using var oidc = await DevelopmentIssuer.StartAsync();
        await using var sts = await StsHarness.StartAsync([new WebIdentityTrust(oidc.Issuer, "credvend-local")]);
        var expired = oidc.IssueToken(new TokenRequest { Subject = "alice", IssuedAt = DateTimeOffset.UtcNow.AddHours(-2) });

        Assert.Equal(Codes.InvalidToken, (await sts.Issuer.IssueAsync(Request(expired), CancellationToken.None)).Refusal?.Code);
    }

    [Fact]
    public async Task An_issuer_the_role_does_not_trust_is_issuance_failed()
    {
        await using var oidc = await DevelopmentIssuer.StartAsync();
        var trust = new WebIdentityTrust(oidc.Issuer, "credvend-local") { RoleArn = "arn:aws:iam::123456789012:role/someone-else" };
        await using var sts = await StsHarness.StartAsync([trust]);

        var outcome = await sts.Issuer.IssueAsync(Request(oidc.IssueToken(new TokenRequest { Subject = "alice" })), CancellationToken.None);

        Assert.Equal(Codes.IssuanceFailed, outcome.Refusal?.Code);
    }

    [Fact]
    public async Task An_issuer_sts_cannot_reach_everywhere_is_unavailable()
    {
        await using var oidc = await DevelopmentIssuer.StartAsync();
        await using var sts = await StsHarness.StartAsync([new WebIdentityTrust(oidc.Issuer, "credvend-local")]);
        var token = oidc.IssueToken(new TokenRequest { Subject = "alice" });
        oidc.JwksDown = true;

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => sts.Issuer.IssueAsync(Request(token), CancellationToken.None));

        Assert.NotEmpty(sts.West.Calls);
    }

    private static IssueRequest Request(string token) =>
        StsHarness.AssumeRole() with { Mode = IssuanceMode.WebIdentity, ExternalId = null, SourceIdentity = null, Tags = [], WebIdentityToken = token };
}
