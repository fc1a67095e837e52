using System.Text.Json;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Sts;

namespace CredentialVending.Local.Tests.Sts;

public sealed class DecodeAuthorizationMessageTests : IAsyncLifetime
{
    private StsEmulator _sts = null!;

    public async Task InitializeAsync() => _sts = await StsTestKit.StartAsync();

    public async Task DisposeAsync() => await _sts.DisposeAsync();

    [Fact]
    public async Task Encoded_failure_decodes_to_sts_json()
    {
        using var client = StsTestKit.Client(_sts);
        var vended = await client.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "01JDQ3ZV7W5K8Q4T0N9B2XG6AC" });
        var encoded = _sts.EncodeAuthorizationFailure(new AuthorizationFailure
        {
            PrincipalArn = vended.AssumedRoleUser.Arn,
            Action = "s3:PutObject",
            Resource = "arn:aws:s3:::acme-data/acme/bob/x",
            ExplicitDeny = true,
            MatchedStatementId = "DenyOthers",
            Conditions = new Dictionary<string, IReadOnlyList<string>> { ["aws:PrincipalTag/tenant"] = ["acme"] },
        });

        var decoded = await client.DecodeAuthorizationMessageAsync(new DecodeAuthorizationMessageRequest { EncodedMessage = encoded });

        using var json = JsonDocument.Parse(decoded.DecodedMessage);
        var root = json.RootElement;
        Assert.Equal(["allowed", "explicitDeny", "matchedStatements", "failures", "context"], root.EnumerateObject().Select(p => p.Name));
        Assert.False(root.GetProperty("allowed").GetBoolean());
        Assert.True(root.GetProperty("explicitDeny").GetBoolean());
        var statement = Assert.Single(root.GetProperty("matchedStatements").GetProperty("items").EnumerateArray());
        Assert.Equal("DenyOthers", statement.GetProperty("statementId").GetString());
        Assert.Equal("DENY", statement.GetProperty("effect").GetString());
        Assert.Equal(vended.AssumedRoleUser.AssumedRoleId.Split(':')[0], Single(statement, "principals"));
        Assert.Empty(statement.GetProperty("principalGroups").GetProperty("items").EnumerateArray());
        Assert.Equal("s3:PutObject", Single(statement, "actions"));
        Assert.Equal("arn:aws:s3:::acme-data/acme/bob/x", Single(statement, "resources"));
        Assert.Empty(root.GetProperty("failures").GetProperty("items").EnumerateArray());
        var context = root.GetProperty("context");
        Assert.Equal(vended.AssumedRoleUser.AssumedRoleId, context.GetProperty("principal").GetProperty("id").GetString());
        Assert.Equal(vended.AssumedRoleUser.Arn, context.GetProperty("principal").GetProperty("arn").GetString());
        Assert.Equal("s3:PutObject", context.GetProperty("action").GetString());
        Assert.Equal("arn:aws:s3:::acme-data/acme/bob/x", context.GetProperty("resource").GetString());
        var condition = Assert.Single(context.GetProperty("conditions").GetProperty("items").EnumerateArray());
        Assert.Equal("aws:PrincipalTag/tenant", condition.GetProperty("key").GetString());
        Assert.Equal("acme", Single(condition, "values"));
    }

    [Fact]
    public async Task Implicit_deny_has_no_matched_statements()
    {
        using var client = StsTestKit.Client(_sts);
        var encoded = _sts.EncodeAuthorizationFailure(new AuthorizationFailure
        {
            PrincipalArn = "arn:aws:sts::123456789012:assumed-role/tenant-acme/lease-3",
            Action = "dynamodb:GetItem",
            Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/t",
        });

        var decoded = await client.DecodeAuthorizationMessageAsync(new DecodeAuthorizationMessageRequest { EncodedMessage = encoded });

        using var json = JsonDocument.Parse(decoded.DecodedMessage);
        Assert.False(json.RootElement.GetProperty("explicitDeny").GetBoolean());
        Assert.Empty(json.RootElement.GetProperty("matchedStatements").GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Tampered_or_foreign_messages_are_invalid()
    {
        await using var other = await StsTestKit.StartAsync();
        var failure = new AuthorizationFailure { PrincipalArn = "arn:aws:iam::123456789012:user/bob", Action = "s3:GetObject", Resource = "*" };
        var encoded = _sts.EncodeAuthorizationFailure(failure);
        var tampered = encoded[..40] + (encoded[40] == 'A' ? 'B' : 'A') + encoded[41..];
        using var client = StsTestKit.Client(_sts);

        foreach (var message in new[] { tampered, other.EncodeAuthorizationFailure(failure), "not base64url!", "QUJD" })
        {
            var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
                client.DecodeAuthorizationMessageAsync(new DecodeAuthorizationMessageRequest { EncodedMessage = message }));
            Assert.Equal(("InvalidAuthorizationMessageException", 400), (error.ErrorCode, (int)error.StatusCode));
        }
    }

    private static string? Single(JsonElement parent, string name) =>
        Assert.Single(parent.GetProperty(name).GetProperty("items").EnumerateArray()).GetProperty("value").GetString();
}
