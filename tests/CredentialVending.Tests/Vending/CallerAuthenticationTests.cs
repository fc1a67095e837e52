using CredentialVending.Identity;
using CredentialVending.Tests.TestSupport;
using CredentialVending.Vending;

namespace CredentialVending.Tests.Vending;

/// <summary>The one caller check of vend and the operator routes, in docs/api.md's order: token form, tenant, issuer, permission.</summary>
[Collection(LocalTablesCollection.Name)]
public sealed class CallerAuthenticationTests(LocalTablesFixture local)
{
    [Fact]
    public async Task A_caller_of_the_tenant_holding_the_permission_is_let_in_with_the_tenant_and_its_subject()
    {
        var tenantId = await OnboardAsync();

        var caller = await Authentication().AuthenticateAsync(tenantId, "Bearer " + local.Token(tenantId, "support"), "decode", CancellationToken.None);

        Assert.False(caller.IsRefused, caller.Refusal?.Detail);
        Assert.Equal((tenantId, "alice"), (caller.Value!.Tenant.TenantId, caller.Value.Caller.Subject));
    }

    [Fact]
    public async Task Without_a_permission_to_hold_any_caller_of_the_tenant_is_let_in()
    {
        var tenantId = await OnboardAsync();

        var caller = await Authentication().AuthenticateAsync(tenantId, "Bearer " + local.Token(tenantId), permission: null, CancellationToken.None);

        Assert.False(caller.IsRefused, caller.Refusal?.Detail);
    }

    [Theory]
    [InlineData(null, "invalid_token", "The Authorization header is missing.")]
    [InlineData("Basic abc", "invalid_token", "The Authorization header is not a Bearer token.")]
    [InlineData("Bearer a.b", "invalid_token", "The token is not a well-formed JWT.")]
    public async Task A_token_of_the_wrong_form_is_401_before_the_tenant_is_read_even_for_a_tenant_that_does_not_exist(string? header, string code, string detail)
    {
        var refused = await Authentication().AuthenticateAsync("no-such-tenant", header, "decode", CancellationToken.None);

        Assert.Equal((code, detail), (refused.Refusal!.Code, refused.Refusal.Detail));
    }

    [Fact]
    public async Task A_well_formed_token_for_a_tenant_not_onboarded_is_404_tenant_not_found()
    {
        var refused = await Authentication().AuthenticateAsync("no-such-tenant", "Bearer " + local.Token("no-such-tenant"), "decode", CancellationToken.None);

        Assert.Equal("tenant_not_found", refused.Refusal!.Code);
    }

    [Fact]
    public async Task A_token_naming_another_tenant_is_403_tenant_mismatch()
    {
        var tenantId = await OnboardAsync();

        var refused = await Authentication().AuthenticateAsync(tenantId, "Bearer " + local.Token("someone-else", "support"), "decode", CancellationToken.None);

        Assert.Equal("tenant_mismatch", refused.Refusal!.Code);
    }

    [Fact]
    public async Task A_caller_without_the_permission_is_403_forbidden_naming_the_permission_and_the_tenant()
    {
        var tenantId = await OnboardAsync();

        var refused = await Authentication().AuthenticateAsync(tenantId, "Bearer " + local.Token(tenantId, "auditors"), "decode", CancellationToken.None);

        Assert.Equal(("forbidden", $"The caller does not hold tenant {tenantId}'s 'decode' permission."), (refused.Refusal!.Code, refused.Refusal.Detail));
    }

    [Fact]
    public async Task A_suspended_tenant_still_lets_its_operators_in_and_is_not_issuable()
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        var document = await local.OnboardAsync(tenantId, local.Document(tenantId, status: "suspended"));

        var caller = await Authentication().AuthenticateAsync(tenantId, "Bearer " + local.Token(tenantId, "support"), "decode", CancellationToken.None);

        Assert.False(caller.IsRefused, caller.Refusal?.Detail);
        Assert.Equal("tenant_suspended", CallerAuthentication.Issuable(document, caller.Value!.Caller.Claims)!.Code);
    }

    private async Task<string> OnboardAsync()
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        await local.OnboardAsync(tenantId, local.Document(tenantId));
        return tenantId;
    }

    private CallerAuthentication Authentication() => new(
        new TenantDirectory(local.Tenants, allowInsecureLoopbackIssuers: true),
        new TokenAuthenticator(TimeProvider.System, new IssuerFetchRules(AllowInsecureLoopback: true, RuntimeApi: null)));
}
