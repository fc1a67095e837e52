using System.Text.Json;
using CredentialVending.Brokering;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Limits;
using CredentialVending.Tenants;
using CredentialVending.Tests.TestSupport;
using CredentialVending.Vending;

namespace CredentialVending.Tests.Vending;

/// <summary>
/// The vend flow after the caller check, in docs/api.md's order: re-tenanting tags, status, plan, rate limit, STS, then
/// the ledger; every refusal before STS leaves STS uncalled, and no credentials leave without their lease written.
/// </summary>
[Collection(LocalTablesCollection.Name)]
public sealed class CredentialVendorTests(LocalTablesFixture local)
{
    private const string BrokeredTags = """, "sessionTags": { "tenant": "{{tenant}}" }""";
    private readonly RecordingIssuer _issuer = new();

    [Fact]
    public async Task Credentials_leave_only_after_their_lease_is_in_the_ledger_with_what_sts_answered()
    {
        var caller = await CallerAsync();

        var vended = await Vendor().VendAsync(caller, new VendRequest(null, null, "203.0.113.9", "sdk/1", "req-1"), CancellationToken.None);

        Assert.False(vended.IsRefused, vended.Refusal?.Detail);
        var (lease, credentials) = vended.Value!;
        var stored = await new LeaseLedger(Leases()).GetAsync(caller.Tenant.TenantId, lease.LeaseId, CancellationToken.None);
        Assert.Equal((credentials.AccessKeyId, "alice", "203.0.113.9", "req-1"), (stored!.AccessKeyId, stored.Subject, stored.SourceIp, stored.RequestId));
        Assert.Equal(["files:read"], stored.Scopes);
        Assert.Equal(lease.LeaseId, Assert.Single(_issuer.Sessions));
    }

    [Fact]
    public async Task A_lease_that_cannot_be_written_drops_the_credentials_raises_lease_write_failed_and_is_503()
    {
        var caller = await CallerAsync();
        var vendor = new CredentialVendor(_issuer, new LeaseStore(local.Tables.Dynamo, "no-such-table", TimeSpan.FromDays(1)), Limiter(), TimeProvider.System);
        string? failed = null;
        vendor.LeaseWriteFailed += (leaseId, _) => failed = leaseId;

        var thrown = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vendor.VendAsync(caller, Request(), CancellationToken.None));

        Assert.Equal("The lease could not be recorded, so no credentials were returned; try again shortly.", thrown.Message);
        Assert.Equal(Assert.Single(_issuer.Sessions), failed);
    }

    [Fact]
    public async Task A_suspended_tenant_is_403_tenant_suspended_and_sts_is_never_called()
    {
        var caller = await CallerAsync(status: "suspended");

        var refused = await Vendor().VendAsync(caller, Request(), CancellationToken.None);

        Assert.Equal("tenant_suspended", refused.Refusal!.Code);
        Assert.Empty(_issuer.Sessions);
    }

    [Fact]
    public async Task A_webidentity_token_whose_tags_would_name_another_tenant_is_refused_before_sts()
    {
        var caller = await CallerAsync(mode: "webIdentity", claims: """{"https://aws.amazon.com/tags": {"principal_tags": {"tenant": ["other"]}}}""");

        var refused = await Vendor().VendAsync(caller, Request(), CancellationToken.None);

        Assert.Equal("tenant_mismatch", refused.Refusal!.Code);
        Assert.Empty(_issuer.Sessions);
    }

    [Theory]
    [InlineData("files:nope", null, "invalid_scope")]
    [InlineData(null, 60, "invalid_duration")]
    public async Task A_request_the_plan_refuses_is_answered_so_and_sts_is_never_called(string? scope, int? duration, string code)
    {
        var caller = await CallerAsync();

        var refused = await Vendor().VendAsync(caller, Request(scope is null ? null : [scope], duration), CancellationToken.None);

        Assert.Equal(code, refused.Refusal!.Code);
        Assert.Empty(_issuer.Sessions);
    }

    [Fact]
    public async Task Past_the_tenants_rate_limit_a_vend_is_429_with_retry_after_and_sts_is_not_called_again()
    {
        var caller = await CallerAsync(limits: """, "limits": { "requestsPerMinute": 1 }""");
        var vendor = Vendor();

        var first = await vendor.VendAsync(caller, Request(), CancellationToken.None);
        var second = await vendor.VendAsync(caller, Request(), CancellationToken.None);

        Assert.False(first.IsRefused, first.Refusal?.Detail);
        Assert.Equal("rate_limited", second.Refusal!.Code);
        Assert.NotNull(second.Refusal.RetryAfter);
        Assert.Single(_issuer.Sessions);
    }

    [Fact]
    public async Task A_refusal_from_sts_is_answered_as_it_is_and_no_lease_is_written()
    {
        var caller = await CallerAsync();
        _issuer.Refusal = new Refusal(Codes.IssuanceFailed, "STS refused the role.");

        var refused = await Vendor().VendAsync(caller, Request(), CancellationToken.None);

        Assert.Equal("issuance_failed", refused.Refusal!.Code);
        Assert.Null(await new LeaseLedger(Leases()).GetAsync(caller.Tenant.TenantId, Assert.Single(_issuer.Sessions), CancellationToken.None));
    }

    [Fact]
    public async Task A_brokered_vend_sends_sts_a_token_the_service_minted_not_the_callers_and_records_mode_brokered()
    {
        using var key = new RsaBrokerKey();
        var caller = await CallerAsync(mode: "brokered", limits: BrokeredTags, claims: """{"https://aws.amazon.com/tags": {"principal_tags": {"tenant": ["other"]}}, "https://aws.amazon.com/source_identity": "root"}""");

        var vended = await Vendor(Broker(key)).VendAsync(caller, Request(duration: 3600), CancellationToken.None);

        Assert.False(vended.IsRefused, vended.Refusal?.Detail);
        var request = Assert.Single(_issuer.Requests);
        Assert.NotEqual(caller.Caller.RawToken, request.WebIdentityToken);
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(request.WebIdentityToken);
        Assert.Equal((caller.Tenant.TenantId + ":alice", vended.Value!.Lease.LeaseId, "alice"), (token.Subject, token.Id, token.GetPayloadValue<string>("https://aws.amazon.com/source_identity")));
        Assert.Contains($"\"principal_tags\":{{\"tenant\":[\"{caller.Tenant.TenantId}\"]}}", System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token.EncodedPayload)), StringComparison.Ordinal);
        Assert.Equal((IssuanceMode.Brokered, (string?)null, (string?)null, 0), (request.Mode, request.ExternalId, request.SourceIdentity, request.Tags.Count));
        var stored = await new LeaseLedger(Leases()).GetAsync(caller.Tenant.TenantId, vended.Value.Lease.LeaseId, CancellationToken.None);
        Assert.Equal("brokered", stored!.Mode);
    }

    [Fact]
    public async Task A_brokered_vend_whose_token_kms_cannot_sign_is_503_with_no_sts_call_and_no_lease()
    {
        using var key = new RsaBrokerKey { Failure = new DependencyUnavailableException("KMS could not sign the brokered token (DisabledException).", TimeSpan.FromSeconds(2)) };
        var caller = await CallerAsync(mode: "brokered", limits: BrokeredTags);

        var failed = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Vendor(Broker(key)).VendAsync(caller, Request(), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(2), failed.RetryAfter);
        Assert.Empty(_issuer.Sessions);
    }

    [Fact]
    public async Task A_brokered_tenant_on_a_function_without_broker_settings_is_503_saying_so_and_sts_is_never_called()
    {
        var caller = await CallerAsync(mode: "brokered", limits: BrokeredTags);

        var refused = await Vendor().VendAsync(caller, Request(), CancellationToken.None);

        Assert.Equal("unavailable", refused.Refusal!.Code);
        Assert.Contains("BROKER_KMS_KEY_ID and BROKER_ISSUER", refused.Refusal.Detail, StringComparison.Ordinal);
        Assert.Empty(_issuer.Sessions);
    }

    private static TokenBroker Broker(RsaBrokerKey key) =>
        new(new BrokerSettings("alias/credvend", "https://api.example.com", BrokerSettings.DefaultAudience), key, TimeProvider.System);

    private static VendRequest Request(IReadOnlyList<string>? scopes = null, int? duration = null) => new(scopes, duration, null, null, null);

    private CredentialVendor Vendor(TokenBroker? broker = null) => new(_issuer, Leases(), Limiter(), TimeProvider.System, broker);

    private LeaseStore Leases() => new(local.Tables.Dynamo, local.Tables.LeasesTable, TimeSpan.FromDays(1));

    private RateLimiter Limiter() => new(local.Tables.Dynamo, local.Tables.LeasesTable);

    /// <summary>A caller of a freshly onboarded tenant, as <see cref="CallerAuthentication"/> would let it in.</summary>
    private async Task<TenantCaller> CallerAsync(string status = "active", string mode = "assumeRole", string limits = "", string claims = "{}")
    {
        var tenantId = LocalTablesFixture.NewTenantId();
        var document = await local.OnboardAsync(tenantId, local.Document(tenantId, status, mode, limits));
        using var json = JsonDocument.Parse(claims);
        var claimSet = ClaimSet.FromJsonObject(json.RootElement);
        return new TenantCaller(document, new Caller(tenantId, document.Identity.Issuer!, "alice", claimSet, "header.payload.signature"));
    }

    /// <summary>STS as the vendor sees it: records each session name asked for, and answers credentials or <see cref="Refusal"/>.</summary>
    private sealed class RecordingIssuer : ICredentialIssuer
    {
        public List<string> Sessions { get; } = [];
        public List<IssueRequest> Requests { get; } = [];
        public Refusal? Refusal { get; set; }

        public Task<Outcome<IssuedCredentials>> IssueAsync(IssueRequest request, CancellationToken ct)
        {
            Sessions.Add(request.SessionName);
            Requests.Add(request);
            return Task.FromResult<Outcome<IssuedCredentials>>(Refusal is { } refusal
                ? refusal
                : new IssuedCredentials("ASIA" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(), "secret", "token", DateTimeOffset.UtcNow.AddMinutes(15),
                    $"arn:aws:sts::123456789012:assumed-role/tenant/{request.SessionName}", 10, "us-east-1"));
        }
    }
}
