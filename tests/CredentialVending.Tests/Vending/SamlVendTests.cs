using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Limits;
using CredentialVending.Tenants;
using CredentialVending.Tests.Identity.Saml;
using CredentialVending.Tests.Tenants;
using CredentialVending.Tests.TestSupport;
using CredentialVending.Vending;

namespace CredentialVending.Tests.Vending;

/// <summary>
/// docs/api.md "SAML tenants": a saml tenant's caller comes from the SAML response in vend's body, never from a header;
/// STS is asked with the provider and the assertion; the lease records the identity provider's session name and STS's issue time.
/// </summary>
[Collection(LocalTablesCollection.Name)]
public sealed class SamlVendTests(LocalTablesFixture local)
{
    private readonly ManualTimeProvider _time = new(SamlSamples.Now.AddSeconds(10));
    private readonly List<IssueRequest> _asked = [];

    [Fact]
    public async Task A_saml_response_is_the_caller_and_its_lease_names_the_identity_providers_session()
    {
        var tenantId = await OnboardAsync();

        var caller = await Authentication().AuthenticateAsync(tenantId, null, ResponseFor(tenantId), permission: null, CancellationToken.None);
        var vended = await Vendor().VendAsync(caller.Value!, new VendRequest(["files:write"], 900, null, null, "req-1"), CancellationToken.None);

        Assert.False(vended.IsRefused, vended.Refusal?.Detail);
        var ask = Assert.Single(_asked);
        Assert.Equal((IssuanceMode.Saml, "alice@acme.example", "arn:aws:iam::123456789012:saml-provider/acme-idp"), (ask.Mode, ask.SessionName, ask.PrincipalArn));
        Assert.Equal(ResponseFor(tenantId), ask.SamlAssertion);
        Assert.Empty(ask.Tags);
        Assert.Contains($"acme-data/{tenantId}/shared/alice@acme.example/", ask.PolicyJson, StringComparison.Ordinal);
        var lease = await new LeaseLedger(Leases()).GetAsync(tenantId, vended.Value!.Lease.LeaseId, CancellationToken.None);
        Assert.Equal(("saml", "https://idp.acme.example/saml", "alice@acme.example", "alice@acme.example"), (lease!.Mode, lease.Issuer, lease.Subject, lease.SessionName));
        Assert.Equal(Expiration.AddSeconds(-900), lease.IssuedAt);
    }

    [Theory]
    [InlineData("Bearer a.b.c", "invalid_request")]
    public async Task A_saml_response_beside_an_authorization_header_is_refused(string header, string code)
    {
        var tenantId = await OnboardAsync();

        var refused = await Authentication().AuthenticateAsync(tenantId, header, ResponseFor(tenantId), permission: null, CancellationToken.None);

        Assert.Equal(code, refused.Refusal?.Code);
    }

    [Fact]
    public async Task A_saml_tenants_credentials_take_no_bearer_token()
    {
        var tenantId = await OnboardAsync();

        var refused = await Authentication().AuthenticateAsync(tenantId, "Bearer " + local.Token(tenantId), permission: null, CancellationToken.None);

        Assert.Equal(Codes.InvalidToken, refused.Refusal?.Code);
        Assert.Contains("is a saml tenant", refused.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saml_tenant_without_a_bearer_issuer_refuses_its_operator_routes_401_and_never_reads_a_saml_response_there()
    {
        var tenantId = await OnboardAsync();

        var refused = await Authentication().AuthenticateAsync(tenantId, "Bearer " + local.Token(tenantId, "admins"), "decode", CancellationToken.None);

        Assert.Equal(Codes.InvalidToken, refused.Refusal?.Code);
        Assert.Contains("has no bearer issuer", refused.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bearer_tenant_refuses_a_saml_response()
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        await local.OnboardAsync(tenantId, local.Document(tenantId));

        var refused = await Authentication().AuthenticateAsync(tenantId, null, ResponseFor(tenantId), permission: null, CancellationToken.None);

        Assert.Equal(Codes.InvalidToken, refused.Refusal?.Code);
    }

    [Fact]
    public async Task A_subject_revoked_after_the_assertion_was_issued_is_refused_new_credentials()
    {
        var tenantId = await OnboardAsync();
        var caller = (await Authentication().AuthenticateAsync(tenantId, null, ResponseFor(tenantId), permission: null, CancellationToken.None)).Value!;
        var revoked = caller with
        {
            Tenant = caller.Tenant with
            {
                Revoked = CredentialVending.Revocation.TokenRevocations.None.With("alice@acme.example", new(SamlSamples.Now.AddSeconds(1), SamlSamples.Now.AddDays(1)), _time.GetUtcNow()),
            },
        };

        var refused = await Vendor().VendAsync(revoked, new VendRequest(null, null, null, null, null), CancellationToken.None);

        Assert.Equal(Codes.Revoked, refused.Refusal?.Code);
        Assert.Empty(_asked);
    }

    private static readonly DateTimeOffset Expiration = SamlSamples.Now.AddMinutes(20);

    private async Task<string> OnboardAsync()
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        var json = TenantSamples.AcmeSaml.Replace("\"acme\"", $"\"{tenantId}\"", StringComparison.Ordinal).Replace("tenant-acme", $"tenant-{tenantId}", StringComparison.Ordinal);
        await local.OnboardAsync(tenantId, json);
        return tenantId;
    }

    private static string ResponseFor(string tenantId) => SamlSamples.Base64(SamlSamples.Response
        .Replace("tenant-acme", $"tenant-{tenantId}", StringComparison.Ordinal)
        .Replace("<saml:AttributeValue>acme</saml:AttributeValue>", $"<saml:AttributeValue>{tenantId}</saml:AttributeValue>", StringComparison.Ordinal));

    private CallerAuthentication Authentication() => new(
        new TenantDirectory(local.Tenants, allowInsecureLoopbackIssuers: true),
        new TokenAuthenticator(_time, new IssuerFetchRules(AllowInsecureLoopback: true, RuntimeApi: null)),
        time: _time);

    private CredentialVendor Vendor() => new(new Issuer(_asked), Leases(), new RateLimiter(local.Tables.Dynamo, local.Tables.LeasesTable), _time);

    private LeaseStore Leases() => new(local.Tables.Dynamo, local.Tables.LeasesTable, TimeSpan.FromDays(1));

    /// <summary>STS as the vendor sees it: records what was asked, answers credentials STS dated 20 minutes on.</summary>
    private sealed class Issuer(List<IssueRequest> asked) : ICredentialIssuer
    {
        public Task<Outcome<IssuedCredentials>> IssueAsync(IssueRequest request, CancellationToken ct)
        {
            asked.Add(request);
            return Task.FromResult<Outcome<IssuedCredentials>>(new IssuedCredentials("ASIA" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(), "secret", "token",
                Expiration.AddSeconds(request.DurationSeconds - 900), $"arn:aws:sts::123456789012:assumed-role/tenant/{request.SessionName}", 10, "us-east-1"));
        }
    }
}
