using CredentialVending.SystemTests.Support;
using CredentialVending.Local.Oidc;

namespace CredentialVending.SystemTests.Hostile;

/// <summary>
/// SECURITY.md's hostile tokens through the real bootstrap and the vend route: each is the 401 or 403 docs/api.md names, with
/// no STS call on either endpoint and no lease written. (The domain-level cases are in CredentialVending.Tests'
/// Identity/HostileTokenTests; here the whole function answers.)
/// </summary>
[Collection(LocalCloudCollection.Name)]
[TestCaseOrderer(SweepLastOrderer.TypeName, SweepLastOrderer.Assembly)]
public sealed class HostileTokenRouteTests(LocalCloud cloud, SecondIssuer second) : IClassFixture<SecondIssuer>
{
    public static TheoryData<string> Unauthenticated => [.. HostileTokens.Unauthenticated];

    public static TheoryData<string, string> WebIdentityCases => new()
    {
        { "webIdentity", "tampered payload" },
        { "webIdentity", "expired" },
        { "webIdentity", "wrong audience" },
        { "webIdentity", "HS256 keyed with the issuer's public key" },
        { "webIdentity", "alg none" },
    };

    [Theory]
    [MemberData(nameof(Unauthenticated))]
    public async Task A_hostile_token_is_401_invalid_token_and_nothing_is_issued_or_written(string name)
    {
        var tenant = await cloud.OnboardAsync();
        var token = HostileTokens.Make(name, cloud.Issuer, second.Issuer, tenant);

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, token), 401, "invalid_token");
    }

    [Theory]
    [MemberData(nameof(WebIdentityCases))]
    public async Task In_web_identity_mode_a_hostile_token_never_reaches_sts(string mode, string name)
    {
        var tenant = await cloud.OnboardAsync(mode);
        var token = HostileTokens.Make(name, cloud.Issuer, second.Issuer, tenant);

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, token), 401, "invalid_token");
    }

    [Theory]
    [InlineData("tenant claim repeated under an escaped name")]
    [InlineData("repeated header parameter")]
    [InlineData("lone surrogate as a claim name")]
    [InlineData("nested 40 deep")]
    [InlineData("exp as a string")]
    [InlineData("payload with a byte order mark")]
    public async Task A_token_that_is_not_well_formed_json_is_401_before_any_tenant_is_read(string name)
    {
        // No such tenant: a 404 here would mean the tenant was looked up before the token's form was checked.
        var nobody = Requests.NewTenantId();
        var token = HostileTokens.Make(name, cloud.Issuer, second.Issuer, nobody);

        await cloud.AssertRefusedAsync(nobody, Requests.Vend(nobody, token), 401, "invalid_token");
    }

    [Fact]
    public async Task A_token_whose_tenant_claim_names_another_tenant_is_403_tenant_mismatch()
    {
        var tenant = await cloud.OnboardAsync();
        var neighbour = await cloud.OnboardAsync();

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, cloud.Token(neighbour)), 403, "tenant_mismatch");
    }

    [Fact]
    public async Task A_token_of_a_tenant_on_another_issuer_is_401_here_and_stays_good_there()
    {
        var tenant = await cloud.OnboardAsync();
        var elsewhere = await cloud.OnboardAsync(change: d => d["identity"]!["issuer"] = second.Issuer.Issuer);
        var token = second.Issuer.IssueToken(new TokenRequest { Subject = "alice", Claims = new Dictionary<string, object> { ["tenant"] = elsewhere } });

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, token), 401, "invalid_token");
        var there = await cloud.SendSeenAsync(Requests.Vend(elsewhere, token));
        Assert.True(there.Status == 200, there.ToString());
        await cloud.AssertHoldsExactlyAsync(elsewhere, [there]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Basic YWxpY2U6cGFzc3dvcmQ=")]
    [InlineData("Token {TOKEN}")]
    [InlineData("Bearer\t{TOKEN}")]
    [InlineData("Bearer {TOKEN} {TOKEN}")]
    [InlineData("{TOKEN}")]
    public async Task An_authorization_header_without_one_bearer_token_is_401(string? authorization)
    {
        var tenant = await cloud.OnboardAsync();
        var header = authorization?.Replace("{TOKEN}", cloud.Token(tenant), StringComparison.Ordinal);

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, null, authorization: header), 401, "invalid_token");
    }

    [Fact]
    public async Task A_token_in_the_query_string_instead_of_the_header_is_400_invalid_request()
    {
        var tenant = await cloud.OnboardAsync();

        await cloud.AssertRefusedAsync(tenant, Requests.Vend(tenant, null, method: "GET", query: "access_token=" + cloud.Token(tenant)), 400, "invalid_request");
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    [InlineData("bEaReR")]
    public async Task The_bearer_scheme_is_case_insensitive_as_rfc_7235_says(string scheme)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendSeenAsync(Requests.Vend(tenant, null, authorization: $"{scheme} {cloud.Token(tenant)}"));

        Assert.True(answer.Status == 200, answer.ToString());
        await cloud.AssertHoldsExactlyAsync(tenant, [answer]);
    }

    [Fact]
    public Task Afterwards_no_log_line_ledger_item_or_error_answer_holds_a_secret() => SecretSweep.AssertNoLeaksAsync(cloud);
}
