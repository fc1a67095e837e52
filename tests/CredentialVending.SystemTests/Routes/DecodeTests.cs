using System.Text;
using System.Text.Json;
using CredentialVending.SystemTests.Support;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Sts;

namespace CredentialVending.SystemTests.Routes;

/// <summary>POST /v1/tenants/{tenantId}/decode, through the real bootstrap and the STS emulator's DecodeAuthorizationMessage.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class DecodeTests(LocalCloud cloud)
{
    private const string Resource = "arn:aws:s3:::acme-data/secret-plans/bob/x";

    [Fact]
    public async Task A_message_about_a_lease_of_the_tenant_is_decoded_with_its_lease_and_the_deny_statement_named()
    {
        var tenant = await cloud.OnboardAsync();
        var (leaseId, assumedRoleArn) = await VendAsync(tenant);
        var message = cloud.Sts.EncodeAuthorizationFailure(new AuthorizationFailure
        {
            PrincipalArn = assumedRoleArn, Action = "s3:PutObject", Resource = Resource, ExplicitDeny = true, MatchedStatementId = "DenyWrites",
        });

        var answer = await cloud.SendAsync(Decode(tenant, Admin(tenant), message));

        Assert.Equal(200, answer.Status);
        var decoded = answer.Json.GetProperty("decoded");
        Assert.Equal(assumedRoleArn, decoded.GetProperty("context").GetProperty("principal").GetProperty("arn").GetString());
        Assert.Equal("DenyWrites", decoded.GetProperty("matchedStatements").GetProperty("items")[0].GetProperty("statementId").GetString());
        var summary = answer.Json.GetProperty("summary");
        Assert.False(summary.GetProperty("allowed").GetBoolean());
        Assert.True(summary.GetProperty("explicitDeny").GetBoolean());
        Assert.Equal("s3:PutObject", summary.GetProperty("action").GetString());
        Assert.Equal(Resource, summary.GetProperty("resource").GetString());
        Assert.Equal(assumedRoleArn, summary.GetProperty("principalArn").GetString());
        Assert.Equal(leaseId, summary.GetProperty("leaseId").GetString());
        Assert.StartsWith("denied by an explicit Deny statement", summary.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Contains("DenyWrites", summary.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Contains(cloud.Sts.Calls, c => c.Action == "DecodeAuthorizationMessage" && c.Signed && c.StatusCode == 200);
    }

    [Fact]
    public async Task A_message_about_the_tenants_role_without_a_lease_is_decoded_as_an_implicit_deny_with_no_lease()
    {
        var tenant = await cloud.OnboardAsync();
        var principal = $"arn:aws:sts::{LocalCloud.AccountId}:assumed-role/tenant-{tenant}/ops-console";
        var message = cloud.Sts.EncodeAuthorizationFailure(new AuthorizationFailure { PrincipalArn = principal, Action = "s3:GetObject", Resource = Resource });

        var answer = await cloud.SendAsync(Decode(tenant, Admin(tenant), message));

        Assert.Equal(200, answer.Status);
        var summary = answer.Json.GetProperty("summary");
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("leaseId").ValueKind);
        Assert.False(summary.GetProperty("explicitDeny").GetBoolean());
        Assert.Equal("denied because no policy allowed it (an implicit deny)", summary.GetProperty("explanation").GetString());
        Assert.Equal(principal, summary.GetProperty("principalArn").GetString());
    }

    [Fact]
    public async Task An_allowed_message_says_allowed()
    {
        var tenant = await cloud.OnboardAsync();
        var (_, assumedRoleArn) = await VendAsync(tenant);
        var message = cloud.Sts.EncodeAuthorizationFailure(new AuthorizationFailure { PrincipalArn = assumedRoleArn, Action = "s3:GetObject", Resource = Resource, Allowed = true });

        var answer = await cloud.SendAsync(Decode(tenant, Admin(tenant), message));

        Assert.Equal(200, answer.Status);
        Assert.Equal("allowed", answer.Json.GetProperty("summary").GetProperty("explanation").GetString());
    }

    [Fact]
    public async Task Another_tenants_message_is_403_forbidden_and_nothing_of_it_is_returned_or_logged()
    {
        var tenant = await cloud.OnboardAsync();
        var other = await cloud.OnboardAsync();
        var (theirLease, theirSession) = await VendAsync(other);
        var (myLease, _) = await VendAsync(tenant);

        // Theirs outright; and one whose session is named after my lease, in their role.
        var sessions = new[] { theirSession, theirSession.Replace(theirLease, myLease, StringComparison.Ordinal) };
        foreach (var principal in sessions)
        {
            var message = cloud.Sts.EncodeAuthorizationFailure(new AuthorizationFailure
            {
                PrincipalArn = principal, Action = "dynamodb:GetItem", Resource = Resource, ExplicitDeny = true, MatchedStatementId = "SecretStatement",
            });
            var before = cloud.Logs.Count;

            var answer = await cloud.SendAsync(Decode(tenant, Admin(tenant), message));

            Assert.Equal((403, "forbidden"), (answer.Status, answer.Code));
            var seen = answer.RawResponse + string.Join('\n', cloud.Logs.Skip(before));
            foreach (var secret in new[] { other, "dynamodb:GetItem", "secret-plans", "SecretStatement", theirLease })
            {
                Assert.DoesNotContain(secret, seen, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_tampered_message_is_400_invalid_message()
    {
        var tenant = await cloud.OnboardAsync();
        var (_, assumedRoleArn) = await VendAsync(tenant);
        var message = cloud.Sts.EncodeAuthorizationFailure(new AuthorizationFailure { PrincipalArn = assumedRoleArn, Action = "s3:GetObject", Resource = Resource });
        var tampered = message[..20] + (message[20] == 'x' ? 'y' : 'x') + message[21..];

        foreach (var bad in new[] { tampered, "not an encoded message", new string('A', 10241) })
        {
            var answer = await cloud.SendAsync(Decode(tenant, Admin(tenant), bad));
            Assert.Equal((400, "invalid_message"), (answer.Status, answer.Code));
        }
    }

    [Fact]
    public async Task Without_the_decode_permission_the_answer_is_403_forbidden_before_sts_is_asked()
    {
        var tenant = await cloud.OnboardAsync();
        var (_, assumedRoleArn) = await VendAsync(tenant);
        var message = cloud.Sts.EncodeAuthorizationFailure(new AuthorizationFailure { PrincipalArn = assumedRoleArn, Action = "s3:GetObject", Resource = Resource });
        var decodesBefore = cloud.Sts.Calls.Count(c => c.Action == "DecodeAuthorizationMessage");

        var answer = await cloud.SendAsync(Decode(tenant, cloud.Token(tenant, "alice", ["editors"]), message));
        var anonymous = await cloud.SendAsync(Decode(tenant, null, message));

        Assert.Equal((403, "forbidden"), (answer.Status, answer.Code));
        Assert.Equal((401, "invalid_token"), (anonymous.Status, anonymous.Code));
        Assert.Equal(decodesBefore, cloud.Sts.Calls.Count(c => c.Action == "DecodeAuthorizationMessage"));
    }

    [Theory]
    [InlineData("{\"encodedMessage\":\"abc\",\"extra\":1}")]
    [InlineData("{\"encodedMessage\":42}")]
    [InlineData("{}")]
    [InlineData("[\"abc\"]")]
    [InlineData("")]
    public async Task A_body_other_than_one_encoded_message_is_400_invalid_request(string body)
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Decode(tenant, Admin(tenant), null) with { Body = Encoding.UTF8.GetBytes(body) });

        Assert.Equal((400, "invalid_request"), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task A_body_over_16_KiB_is_413_payload_too_large()
    {
        var tenant = await cloud.OnboardAsync();

        var answer = await cloud.SendAsync(Decode(tenant, Admin(tenant), new string('A', 16 * 1024)));

        Assert.Equal((413, "payload_too_large"), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task When_the_first_sts_endpoint_fails_the_next_decodes_and_when_all_fail_it_is_503()
    {
        var tenant = await cloud.OnboardAsync();
        var (leaseId, assumedRoleArn) = await VendAsync(tenant);
        var message = cloud.StsWest.EncodeAuthorizationFailure(new AuthorizationFailure { PrincipalArn = assumedRoleArn, Action = "s3:GetObject", Resource = Resource });
        try
        {
            cloud.Sts.Faults.Set(StsFault.RegionDisabled);
            var failedOver = await cloud.SendAsync(Decode(tenant, Admin(tenant), message));
            cloud.StsWest.Faults.Set(StsFault.RegionDisabled);
            var down = await cloud.SendAsync(Decode(tenant, Admin(tenant), message));

            Assert.Equal(200, failedOver.Status);
            Assert.Equal(leaseId, failedOver.Json.GetProperty("summary").GetProperty("leaseId").GetString());
            Assert.Equal((503, "unavailable"), (down.Status, down.Code));
            Assert.NotNull(down.Header("retry-after"));
        }
        finally
        {
            cloud.Sts.Faults.Clear();
            cloud.StsWest.Faults.Clear();
        }
    }

    private string Admin(string tenant) => cloud.Token(tenant, "ops", ["admins"]);

    private async Task<(string LeaseId, string AssumedRoleArn)> VendAsync(string tenant)
    {
        var answer = await cloud.SendAsync(Requests.Vend(tenant, cloud.Token(tenant, "bob")));
        Assert.Equal(200, answer.Status);
        return (answer.Json.GetProperty("leaseId").GetString()!, answer.Json.GetProperty("assumedRoleArn").GetString()!);
    }

    private static HttpApiRequest Decode(string tenant, string? token, string? encodedMessage)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Content-Type", "application/json") };
        if (token is not null)
        {
            headers.Add(new("Authorization", "Bearer " + token));
        }

        return new HttpApiRequest
        {
            Method = "POST",
            Path = $"/v1/tenants/{tenant}/decode",
            Headers = headers,
            Body = encodedMessage is null ? [] : JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["encodedMessage"] = encodedMessage }),
        };
    }
}
