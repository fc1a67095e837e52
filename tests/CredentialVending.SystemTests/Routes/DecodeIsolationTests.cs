using System.Text.Json;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Oidc;
using CredentialVending.Local.Sts;

namespace CredentialVending.SystemTests.Routes;

/// <summary>
/// POST /v1/tenants/{tenantId}/decode between tenants that share what PUT now refuses to share (a role, an issuer
/// without tenant claims), stored before the rule: a message about a lease is decoded only for the tenant that holds
/// the lease, and a lease id nobody holds is nobody's.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class DecodeIsolationTests(LocalCloud cloud)
{
    private const string Resource = "arn:aws:s3:::acme-data/secret-plans/bob/x";

    [Fact]
    public async Task Two_tenants_on_one_role_each_decode_only_their_own_leases()
    {
        var first = await cloud.OnboardAsync();
        var second = await cloud.StoreLegacyTenantAsync(cloud.DocumentOnRole(LegacyTenants.RoleOf(first)));
        var (firstLease, firstSession) = await VendAsync(first, cloud.Token(first, "bob"));
        var (secondLease, secondSession) = await VendAsync(second, cloud.Token(second, "bob"));
        var nobodys = firstSession.Replace(firstLease, "01JDQ3ZV7W5K8Q4T0N9B2XG6AC", StringComparison.Ordinal);

        var own = await DecodeAsync(first, Operator(first), firstSession);
        var theirs = await DecodeAsync(second, Operator(second), firstSession);
        var back = await DecodeAsync(first, Operator(first), secondSession);
        var ownSecond = await DecodeAsync(second, Operator(second), secondSession);

        Assert.Equal(firstLease, own.Json.GetProperty("summary").GetProperty("leaseId").GetString());
        Assert.Equal(secondLease, ownSecond.Json.GetProperty("summary").GetProperty("leaseId").GetString());
        AssertRefusedAndSilent(theirs, firstLease);
        AssertRefusedAndSilent(back, secondLease);
        foreach (var tenant in new[] { first, second })
        {
            AssertRefusedAndSilent(await DecodeAsync(tenant, Operator(tenant), nobodys), "01JDQ3ZV7W5K8Q4T0N9B2XG6AC");
        }
    }

    [Fact]
    public async Task Two_tenants_on_one_issuer_each_decode_only_their_own_sessions()
    {
        var audience = "aud-" + Guid.NewGuid().ToString("N")[..12];
        var first = await cloud.OnboardAsync(SharedIssuerTests.Document(cloud, audience, tenantClaim: true));

        // Stored before the rule: no tenant claim, so every token of the issuer for this audience is also this tenant's.
        var second = await cloud.StoreLegacyTenantAsync(SharedIssuerTests.Document(cloud, audience, tenantClaim: false, prefix: "legacy"));
        var firstOperator = Token(audience, first, "ops", "admins");
        var (firstLease, firstSession) = await VendAsync(first, Token(audience, first, "bob"));
        var (secondLease, secondSession) = await VendAsync(second, Token(audience, first, "bob"));
        var firstRoleSession = $"arn:aws:sts::{LocalCloud.AccountId}:assumed-role/tenant-{first}/ops-console";

        var atSecondOwn = await DecodeAsync(second, firstOperator, secondSession);
        var atSecondLease = await DecodeAsync(second, firstOperator, firstSession);
        var atSecondRole = await DecodeAsync(second, firstOperator, firstRoleSession);
        var atFirstOwn = await DecodeAsync(first, firstOperator, firstSession);
        var atFirstTheirs = await DecodeAsync(first, firstOperator, secondSession);
        var secondsTokenAtFirst = await DecodeAsync(first, Token(audience, second, "ops", "admins"), firstSession);

        // The first tenant's operator token passes the second's token check (that is what sharing an issuer meant)...
        Assert.Equal(secondLease, atSecondOwn.Json.GetProperty("summary").GetProperty("leaseId").GetString());
        Assert.Equal(firstLease, atFirstOwn.Json.GetProperty("summary").GetProperty("leaseId").GetString());

        // ...and still decodes nothing of the first tenant's there, nor the second's at its own tenant.
        AssertRefusedAndSilent(atSecondLease, firstLease);
        AssertRefusedAndSilent(atSecondRole, "ops-console");
        AssertRefusedAndSilent(atFirstTheirs, secondLease);
        Assert.Equal((403, "tenant_mismatch"), (secondsTokenAtFirst.Status, secondsTokenAtFirst.Code));
    }

    private static void AssertRefusedAndSilent(Answer answer, string leaseOrSession)
    {
        Assert.Equal((403, "forbidden"), (answer.Status, answer.Code));
        foreach (var secret in new[] { leaseOrSession, "secret-plans", "SecretStatement", "dynamodb:DeleteTable" })
        {
            Assert.DoesNotContain(secret, answer.RawResponse, StringComparison.Ordinal);
        }
    }

    private string Operator(string tenant) => cloud.Token(tenant, "ops", ["admins"]);

    private string Token(string audience, string tenantClaim, string subject, params string[] groups) => cloud.Issuer.IssueToken(new TokenRequest
    {
        Subject = subject,
        Audiences = [audience],
        Claims = new Dictionary<string, object> { ["tenant"] = tenantClaim, ["groups"] = groups },
    });

    private async Task<(string LeaseId, string AssumedRoleArn)> VendAsync(string tenant, string token)
    {
        var answer = await cloud.SendAsync(Requests.Vend(tenant, token));
        Assert.True(answer.Status == 200, answer.ToString());
        return (answer.Json.GetProperty("leaseId").GetString()!, answer.Json.GetProperty("assumedRoleArn").GetString()!);
    }

    private async Task<Answer> DecodeAsync(string tenant, string token, string principal)
    {
        var message = cloud.Sts.EncodeAuthorizationFailure(new AuthorizationFailure
        {
            PrincipalArn = principal, Action = "dynamodb:DeleteTable", Resource = Resource, ExplicitDeny = true, MatchedStatementId = "SecretStatement",
        });
        return await cloud.SendAsync(new HttpApiRequest
        {
            Method = "POST",
            Path = $"/v1/tenants/{tenant}/decode",
            Headers = [new("Content-Type", "application/json"), new("Authorization", "Bearer " + token)],
            Body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["encodedMessage"] = message }),
        });
    }
}
