using System.Text.RegularExpressions;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Tests.Sts;

public sealed partial class AssumeRoleTests : IAsyncLifetime
{
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::acme-data/acme/alice/*"]}]}""";
    private StsEmulator _sts = null!;

    public async Task InitializeAsync() => _sts = await StsTestKit.StartAsync();

    public async Task DisposeAsync() => await _sts.DisposeAsync();

    [Fact]
    public async Task Signed_assume_role_answers_credentials_in_aws_formats()
    {
        using var client = StsTestKit.Client(_sts);
        var before = DateTime.UtcNow;

        var response = await client.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = StsTestKit.RoleArn,
            RoleSessionName = "01JDQ3ZV7W5K8Q4T0N9B2XG6AC",
            DurationSeconds = 900,
            Policy = Policy,
            SourceIdentity = "alice@example.com",
            Tags = [new Tag { Key = "tenant", Value = "acme" }, new Tag { Key = "subject", Value = "alice" }],
            TransitiveTagKeys = ["tenant"],
        });

        var credentials = response.Credentials;
        Assert.Matches("^ASIA[A-Z2-7]{16}$", credentials.AccessKeyId);
        Assert.Equal(40, credentials.SecretAccessKey.Length);
        Assert.StartsWith("IQoJb3JpZ2luX2Vj", credentials.SessionToken, StringComparison.Ordinal);
        Assert.True(credentials.SessionToken.Length > 500);
        Assert.InRange(credentials.Expiration!.Value.ToUniversalTime(), before.AddSeconds(899), DateTime.UtcNow.AddSeconds(901));
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/tenant-acme/01JDQ3ZV7W5K8Q4T0N9B2XG6AC", response.AssumedRoleUser.Arn);
        Assert.Matches("^AROA[A-Z2-7]{17}:01JDQ3ZV7W5K8Q4T0N9B2XG6AC$", response.AssumedRoleUser.AssumedRoleId);
        Assert.Equal("alice@example.com", response.SourceIdentity);
#pragma warning disable CS0618 // PackedPolicySize is what the lease records; the SDK marks it obsolete in favour of token utilization.
        Assert.InRange(response.PackedPolicySize!.Value, 1, 100);
#pragma warning restore CS0618
        Assert.Matches("^[0-9a-f-]{36}$", response.ResponseMetadata.RequestId);
    }

    [Fact]
    public async Task Call_is_recorded_without_secrets()
    {
        using var client = StsTestKit.Client(_sts);
        var response = await client.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = StsTestKit.ExternalIdRoleArn,
            RoleSessionName = "lease-1",
            ExternalId = StsTestKit.ExternalId,
            Tags = [new Tag { Key = "tenant", Value = "globex" }],
        });

        var call = Assert.Single(_sts.Calls);
        Assert.Equal(("AssumeRole", StsTestKit.ExternalIdRoleArn, "lease-1", StsTestKit.ExternalId), (call.Action, call.RoleArn, call.RoleSessionName, call.ExternalId));
        Assert.True(call.Signed);
        Assert.Equal(StsTestKit.CallerKey, call.SigningAccessKeyId);
        Assert.Equal(200, call.StatusCode);
        Assert.Equal([new("tenant", "globex")], call.Tags);
        Assert.Null(call.DurationSeconds);
        var recorded = call.ToString();
        Assert.DoesNotContain(response.Credentials.SecretAccessKey, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Credentials.SessionToken, recorded, StringComparison.Ordinal);
        Assert.True(_sts.TryFindSession(response.Credentials.AccessKeyId, out var session));
        Assert.Equal(response.Credentials.SessionToken, session.SessionToken);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/tenant-globex/lease-1", session.AssumedRoleArn);
    }

    [Fact]
    public async Task Default_duration_is_one_hour_and_no_packed_size_without_policy_or_tags()
    {
        using var client = StsTestKit.Client(_sts);
        var response = await client.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "plain" });

        Assert.InRange(response.Credentials.Expiration!.Value.ToUniversalTime(), DateTime.UtcNow.AddSeconds(3590), DateTime.UtcNow.AddSeconds(3601));
#pragma warning disable CS0618 // see above
        Assert.Null(response.PackedPolicySize);
#pragma warning restore CS0618
    }

    [Theory]
    [InlineData(null)]
    [InlineData("globex-wrong")]
    public async Task Role_that_demands_an_external_id_refuses_any_other(string? externalId)
    {
        using var client = StsTestKit.Client(_sts);
        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => client.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = StsTestKit.ExternalIdRoleArn,
            RoleSessionName = "lease-2",
            ExternalId = externalId,
        }));

        Assert.Equal(("AccessDenied", 403), (error.ErrorCode, (int)error.StatusCode));
        Assert.Equal(
            $"User: arn:aws:iam::123456789012:user/credential-vending-local is not authorized to perform: sts:AssumeRole on resource: {StsTestKit.ExternalIdRoleArn}",
            error.Message);
    }

    [Fact]
    public async Task Role_chaining_is_capped_at_one_hour()
    {
        using var caller = StsTestKit.Client(_sts);
        var first = await caller.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "first" });
        Assert.True(_sts.TryFindSession(first.Credentials.AccessKeyId, out var session));
        using var chained = StsTestKit.Client(_sts, StsTestKit.SessionCredentials(session));

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            chained.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "second", DurationSeconds = 7200 }));
        var second = await chained.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "second", DurationSeconds = 3600 });

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Contains("role chaining", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("/second", second.AssumedRoleUser.Arn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_answers_are_sts_xml_with_the_request_id()
    {
        var (status, body, requestId) = await StsTestKit.PostAsync(_sts,
            ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", StsTestKit.RoleArn), ("RoleSessionName", "x1"));

        Assert.Equal(403, status);
        Assert.NotNull(requestId);
        var compact = Whitespace().Replace(body, string.Empty);
        Assert.Equal(
            "<ErrorResponsexmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>" +
            $"<Message>RequestismissingAuthenticationToken</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>",
            compact);
    }

    [Theory]
    [InlineData("GetSessionToken", "2011-06-15")]
    [InlineData("AssumeRole", "2011-06-16")]
    [InlineData("", "")]
    public async Task Unserved_actions_and_versions_are_invalid_action(string action, string version)
    {
        var (status, body, _) = await StsTestKit.PostAsync(_sts, ("Action", action), ("Version", version));

        Assert.Equal(400, status);
        Assert.Contains("<Code>InvalidAction</Code>", body, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
