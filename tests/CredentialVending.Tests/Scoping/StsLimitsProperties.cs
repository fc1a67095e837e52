using System.Text.Json;
using CredentialVending.Common;
using CredentialVending.Identity;
using CredentialVending.Issuing;
using CredentialVending.Leases;
using CredentialVending.Tenants;
using CredentialVending.Tests.TestSupport;
using CredentialVending.Vending;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Scoping;

/// <summary>
/// Whatever the caller's identity provider puts in a token, the request the service sends STS is one STS takes: the
/// STS emulator, which checks STS's own limits (StsLimits), accepts every call, or the service refused before calling.
/// </summary>
public sealed class StsLimitsProperties : IAsyncLifetime
{
    private const string SafeCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+=,-";

    // The subject and a claim in the policy, in tags (where a comma is refused) and, for the subject, as SourceIdentity.
    private static readonly TenantDocument Tenant = WithStatements(
        """
        [ { "Effect": "Allow", "Action": ["s3:GetObject"],
            "Resource": ["arn:aws:s3:::acme-data/{{tenant}}/{{subject}}/*", "arn:aws:s3:::acme-data/{{tenant}}/{{claim:org}}/*"] } ]
        """,
        """{ "tenant": "{{tenant}}", "subject": "{{subject}}", "org": "org/{{claim:org}}", "both": "{{subject}}:{{claim:org}}" }""") with
    {
        Issuance = Valid().Issuance with { RoleArn = StsHarness.RoleArn, ExternalId = StsHarness.ExternalId },
    };

    private static readonly Gen<string> Values = Gen.Frequency(
        (4, Gen.Elements([.. SafeCharacters.ToCharArray()]).ArrayOf().Where(c => c.Length is >= 1 and <= 70).Select(c => new string(c))),
        (2, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)),
        (2, Gen.Elements([.. (SafeCharacters + ",\n\r\t \u0000\u00e9\u00a0\u2028\u3000\ud800:/*").ToCharArray()]).ArrayOf().Select(c => new string(c))),
        (1, Gen.Elements("alice", "alice\n", "a", "ab", "a,b", new string('a', 64), new string('a', 65), "Zoë", "\u00e9t\u00e9", string.Empty)));

    private StsHarness _sts = null!;

    public async Task InitializeAsync() => _sts = await StsHarness.StartAsync();

    public async Task DisposeAsync() => await _sts.DisposeAsync();

    [Property(MaxTest = 300)]
    public Property Every_request_rendered_from_any_claims_is_one_sts_accepts_or_is_refused_before_the_call() =>
        Prop.ForAll(Arb.From(Values), Arb.From(Values), (subject, org) =>
        {
            var claims = new ClaimSet(new Dictionary<string, JsonElement> { ["org"] = JsonSerializer.SerializeToElement(org) });
            var leaseId = Ulid.New(DateTimeOffset.UtcNow);
            var plan = SessionPlanner.Plan(Tenant, subject, claims, ["only"], null);
            var issued = plan.IsRefused
                ? plan.Refusal!
                : _sts.Issuer.IssueAsync(
                    IssueRequest.ForVend(Tenant.Issuance, leaseId, plan.Value!.Session, plan.Value.DurationSeconds, subject, null),
                    CancellationToken.None).GetAwaiter().GetResult();

            // By session name: on a loaded machine the SDK may send one request twice after a timed-out attempt (docs/gotchas.md).
            var calls = _sts.East.Calls.Concat(_sts.West.Calls).Where(c => c.RoleSessionName == leaseId).ToArray();
            var accepted = !issued.IsRefused && calls.Length >= 1 && calls.All(c => c.StatusCode is 200 or 499);
            var refusedBefore = issued.IsRefused && issued.Refusal!.Code == Codes.UnusableClaim && calls.Length == 0;
            return (accepted || refusedBefore)
                .Label($"{issued.Refusal?.Code} {issued.Refusal?.Detail}; calls {string.Join(", ", calls.Select(c => $"{c.StatusCode} {c.ErrorCode}"))}")
                .Classify(accepted, "accepted by STS")
                .Classify(refusedBefore, "refused before STS");
        });
}
