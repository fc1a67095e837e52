using CredentialVending.Common;
using CredentialVending.Decoding;
using CredentialVending.Leases;
using CredentialVending.Tests.Leases;
using CredentialVending.Tests.TestSupport;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Decoding;

/// <summary>
/// docs/api.md's "Decode": STS decodes, then the message is shown only when its principal is a session of one of the
/// tenant's leases or of the tenant's role. The ledger is dynalite's, with template.yaml's table.
/// </summary>
[Collection(TemplateDynamoCollection.Name)]
public sealed class FailureDecoderTests(TemplateDynamo dynamo)
{
    private const string TenantRole = "arn:aws:iam::123456789012:role/tenant-acme";

    private async Task<(FailureDecoder Decoder, FakeDecoder Sts, LeaseStore Leases)> DecoderAsync(string? principalArn = null)
    {
        var leases = new LeaseStore(dynamo.Client, (await dynamo.NewTablesAsync()).Leases, TimeSpan.FromDays(90));
        var sts = new FakeDecoder(Message(principalArn));
        return (new FailureDecoder(sts, leases), sts, leases);
    }

    // A ledger holding one lease of tenantId, and STS decoding a message about principalArn (by default, that lease's session).
    private async Task<(FailureDecoder Decoder, FakeDecoder Sts, Lease Lease)> WithLeaseAsync(string tenantId, Func<Lease, string>? principalArn = null)
    {
        var (decoder, sts, leases) = await DecoderAsync();
        var lease = LeaseSamples.Issued(tenantId);
        await leases.PutAsync(lease, CancellationToken.None);
        sts.Answer = Message(principalArn?.Invoke(lease) ?? lease.AssumedRoleArn);
        return (decoder, sts, lease);
    }

    [Fact]
    public async Task A_session_of_a_tenant_lease_is_decoded_with_its_summary_and_lease_id()
    {
        var (decoder, sts, lease) = await WithLeaseAsync("acme");

        var result = (await decoder.DecodeAsync(Valid(), "encoded", CancellationToken.None)).Value!;

        Assert.Equal(["encoded"], sts.Calls);
        Assert.Equal(sts.Answer.Value, result.DecodedJson);
        Assert.Equal(
            new DecodeSummary(false, true, "s3:PutObject", "arn:aws:s3:::acme-data/acme/alice/x", lease.AssumedRoleArn, lease.LeaseId,
                "denied by an explicit Deny statement (\"DenyWrites\") in the session policy"),
            result.Summary);
    }

    [Fact]
    public async Task A_session_of_the_tenant_role_by_another_name_is_decoded_without_a_lease_id()
    {
        var (decoder, _, _) = await DecoderAsync("arn:aws:sts::123456789012:assumed-role/tenant-acme/nightly-batch");

        var result = await decoder.DecodeAsync(Valid(), "encoded", CancellationToken.None);

        Assert.Null(result.Refusal);
        Assert.Null(result.Value!.Summary.LeaseId);
    }

    [Fact]
    public async Task A_role_with_a_path_is_matched_by_its_name_as_assumed_role_arns_drop_the_path()
    {
        var (decoder, _, _) = await DecoderAsync("arn:aws:sts::123456789012:assumed-role/tenant-acme/nightly-batch");
        var tenant = Valid(Edit("issuance/roleArn", "\"arn:aws:iam::123456789012:role/tenants/tenant-acme\""));

        Assert.Null((await decoder.DecodeAsync(tenant, "encoded", CancellationToken.None)).Refusal);
    }

    public static TheoryData<string, string?> NotTheTenants => new()
    {
        { "no principal at all", null },
        { "an IAM user", "arn:aws:iam::123456789012:user/alice" },
        { "the role itself, not a session of it", TenantRole },
        { "another role of the account", "arn:aws:sts::123456789012:assumed-role/tenant-globex/nightly-batch" },
        { "the role's name in another account", "arn:aws:sts::210987654321:assumed-role/tenant-acme/nightly-batch" },
        { "the role's name in another partition", "arn:aws-cn:sts::123456789012:assumed-role/tenant-acme/nightly-batch" },
        { "a lease id the tenant does not hold, in the tenant's role", "arn:aws:sts::123456789012:assumed-role/tenant-acme/01JDQ3ZV7W5K8Q4T0N9B2XG6AC" },
        { "a text that only begins like a session", "arn:aws:sts::123456789012:assumed-role/tenant-acme/x y" },
    };

    [Theory]
    [MemberData(nameof(NotTheTenants))]
    public async Task A_message_about_anything_but_the_tenant_sessions_is_forbidden_and_shows_nothing_of_it(string why, string? principalArn)
    {
        var (decoder, _, _) = await DecoderAsync(principalArn);

        var refusal = (await decoder.DecodeAsync(Valid(), "encoded", CancellationToken.None)).Refusal;

        Assert.True(refusal?.Code == Codes.Forbidden, why);
        Assert.DoesNotContain("s3:", refusal!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-data", refusal.Detail, StringComparison.Ordinal);
        Assert.Null(refusal.Errors);
    }

    [Fact]
    public async Task Another_tenant_lease_is_forbidden_even_in_a_role_both_tenants_once_shared()
    {
        var (decoder, _, _) = await WithLeaseAsync("globex");

        var refusal = (await decoder.DecodeAsync(Valid(), "encoded", CancellationToken.None)).Refusal;

        Assert.Equal(Codes.Forbidden, refusal?.Code);
    }

    [Fact]
    public async Task A_session_named_after_a_tenant_lease_in_a_role_not_the_tenant_is_forbidden()
    {
        var (decoder, _, _) = await WithLeaseAsync("acme", lease => $"arn:aws:sts::999999999999:assumed-role/attacker/{lease.LeaseId}");

        Assert.Equal(Codes.Forbidden, (await decoder.DecodeAsync(Valid(), "encoded", CancellationToken.None)).Refusal?.Code);
    }

    [Fact]
    public async Task A_lease_of_the_tenant_whose_role_has_changed_since_is_still_the_tenant_own()
    {
        var (decoder, _, lease) = await WithLeaseAsync("acme");
        var moved = Valid(Edit("issuance/roleArn", "\"arn:aws:iam::123456789012:role/tenant-acme-v2\""));

        Assert.Equal(lease.LeaseId, (await decoder.DecodeAsync(moved, "encoded", CancellationToken.None)).Value?.Summary.LeaseId);
    }

    [Fact]
    public async Task A_saml_session_is_named_by_the_newest_lease_of_the_tenant_with_its_assumed_role_arn()
    {
        const string carol = "arn:aws:sts::123456789012:assumed-role/tenant-acme/carol";
        var (decoder, _, leases) = await DecoderAsync(carol);
        Lease Saml(string tenantId, int minutes, string arn) => LeaseSamples.Issued(tenantId, minutes) with { Mode = "saml", SessionName = arn.Split('/')[^1], AssumedRoleArn = arn };
        var newest = Saml("acme", 2, carol);
        foreach (var lease in new[] { Saml("acme", 1, carol), newest, Saml("acme", 3, carol.Replace("carol", "dave", StringComparison.Ordinal)), Saml("globex", 4, carol) })
        {
            await leases.PutAsync(lease, CancellationToken.None);
        }

        var result = await decoder.DecodeAsync(Valid(AcmeSaml), "encoded", CancellationToken.None);

        Assert.Equal(newest.LeaseId, result.Value?.Summary.LeaseId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(FailureDecoder.MaxEncodedLength + 1)]
    public async Task A_message_sts_would_not_take_is_invalid_message_and_never_sent(int length)
    {
        var (decoder, sts, _) = await DecoderAsync(TenantRole);

        var refusal = (await decoder.DecodeAsync(Valid(), new string('x', length), CancellationToken.None)).Refusal;

        Assert.Equal(Codes.InvalidMessage, refusal?.Code);
        Assert.Empty(sts.Calls);
    }

    [Fact]
    public async Task A_message_at_sts_limit_is_sent()
    {
        var (decoder, sts, _) = await DecoderAsync("arn:aws:sts::123456789012:assumed-role/tenant-acme/batch");

        await decoder.DecodeAsync(Valid(), new string('x', FailureDecoder.MaxEncodedLength), CancellationToken.None);

        Assert.Single(sts.Calls);
    }

    [Fact]
    public async Task Sts_refusal_of_the_message_is_the_answer()
    {
        var (decoder, sts, _) = await DecoderAsync();
        sts.Answer = new Refusal(Codes.InvalidMessage, "STS could not decode the message.");

        Assert.Equal(sts.Answer.Refusal, (await decoder.DecodeAsync(Valid(), "garbled", CancellationToken.None)).Refusal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("not json")]
    public async Task A_decoded_message_that_is_not_a_json_object_is_sts_failing_not_the_caller(string decoded)
    {
        var (decoder, sts, _) = await DecoderAsync();
        sts.Answer = decoded;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => decoder.DecodeAsync(Valid(), "encoded", CancellationToken.None));
        Assert.DoesNotContain(decoded, failure.Message, StringComparison.Ordinal);
    }

    // A decoded message as STS answers it: every list wrapped in { "items": [...] }.
    private static string Message(string? principalArn) => $$"""
        {"allowed":false,"explicitDeny":true,
         "matchedStatements":{"items":[{"statementId":"DenyWrites","effect":"DENY","policyType":"SessionPolicy"}]},
         "failures":{"items":[]},
         "context":{"principal":{"id":"AROAEXAMPLE:session"{{(principalArn is null ? "" : $",\"arn\":\"{principalArn}\"")}}},
                    "action":"s3:PutObject","resource":"arn:aws:s3:::acme-data/acme/alice/x","conditions":{"items":[]} } }
        """;

    /// <summary>STS's DecodeAuthorizationMessage as the decoder sees it: one answer, every message asked kept.</summary>
    private sealed class FakeDecoder(Outcome<string> answer) : IAuthorizationMessageDecoder
    {
        public Outcome<string> Answer { get; set; } = answer;
        public List<string> Calls { get; } = [];

        public Task<Outcome<string>> DecodeAsync(string encodedMessage, CancellationToken ct)
        {
            Calls.Add(encodedMessage);
            return Task.FromResult(Answer);
        }
    }
}
