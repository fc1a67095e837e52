using System.Security.Cryptography;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CredentialVending.Local.Sts;

// These tests send values STS must refuse; the AWS SDK's own analyzer flags such literals at compile time.
#pragma warning disable SecurityTokenService1000, SecurityTokenService1001, SecurityTokenService1002, SecurityTokenService1003, SecurityTokenService1004

namespace CredentialVending.Local.Tests.Sts;

public sealed class LimitsTests : IAsyncLifetime
{
    private static readonly Dictionary<string, (Action<AssumeRoleRequest> Break, string Code)> Cases = new()
    {
        ["duration below 900"] = (r => r.DurationSeconds = 899, "ValidationError"),
        ["duration above 43200"] = (r => r.DurationSeconds = 43201, "ValidationError"),
        ["session name of 1"] = (r => r.RoleSessionName = "a", "ValidationError"),
        ["session name of 65"] = (r => r.RoleSessionName = new string('a', 65), "ValidationError"),
        ["session name with a space"] = (r => r.RoleSessionName = "alice smith", "ValidationError"),
        ["session name with a slash"] = (r => r.RoleSessionName = "acme/alice", "ValidationError"),
        ["source identity with a colon"] = (r => r.SourceIdentity = "aws:alice", "ValidationError"),
        ["source identity of 65"] = (r => r.SourceIdentity = new string('s', 65), "ValidationError"),
        ["external id of 1"] = (r => r.ExternalId = "x", "ValidationError"),
        ["external id of 1225"] = (r => r.ExternalId = new string('x', 1225), "ValidationError"),
        ["external id with a star"] = (r => r.ExternalId = "acme*", "ValidationError"),
        ["policy of 2049"] = (r => r.Policy = PolicyOfLength(2049), "ValidationError"),
        ["policy not json"] = (r => r.Policy = "{\"Version\":", "MalformedPolicyDocument"),
        ["policy without version"] = (r => r.Policy = """{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""", "MalformedPolicyDocument"),
        ["policy without statement"] = (r => r.Policy = """{"Version":"2012-10-17"}""", "MalformedPolicyDocument"),
        ["policy with a bad effect"] = (r => r.Policy = """{"Version":"2012-10-17","Statement":{"Effect":"Permit","Action":"s3:*","Resource":"*"}}""", "MalformedPolicyDocument"),
        ["51 tags"] = (r => r.Tags = [.. Enumerable.Range(0, 51).Select(i => new Tag { Key = $"k{i}", Value = "v" })], "ValidationError"),
        ["tag key of 129"] = (r => r.Tags = [new Tag { Key = new string('k', 129), Value = "v" }], "ValidationError"),
        ["tag value of 257"] = (r => r.Tags = [new Tag { Key = "k", Value = new string('v', 257) }], "ValidationError"),
        ["tag value with a star"] = (r => r.Tags = [new Tag { Key = "k", Value = "a*" }], "ValidationError"),
        ["duplicate tag keys"] = (r => r.Tags = [new Tag { Key = "Tenant", Value = "a" }, new Tag { Key = "tenant", Value = "b" }], "InvalidParameterValue"),
        ["transitive key not tagged"] = (r => r.TransitiveTagKeys = ["tenant"], "InvalidParameterValue"),
        ["tags too large packed"] = (r => r.Tags = [.. Enumerable.Range(0, 50).Select(i => new Tag { Key = Random(100), Value = Random(250) })], "PackedPolicyTooLarge"),
        ["role arn without a role"] = (r => r.RoleArn = "arn:aws:iam::123456789012:user/alice", "ValidationError"),
        ["role arn with a short account"] = (r => r.RoleArn = "arn:aws:iam::12345:role/tenant-acme", "ValidationError"),
        ["11 policy arns"] = (r => r.PolicyArns = [.. Enumerable.Range(0, 11).Select(i => new PolicyDescriptorType { Arn = $"arn:aws:iam::aws:policy/P{i}" })], "ValidationError"),
    };

    private StsEmulator _sts = null!;

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    public async Task InitializeAsync() => _sts = await StsTestKit.StartAsync();

    public async Task DisposeAsync() => await _sts.DisposeAsync();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Each_limit_is_refused_with_sts_code(string name)
    {
        var (breakRequest, code) = Cases[name];
        var request = new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "lease-ok" };
        breakRequest(request);
        using var client = StsTestKit.Client(_sts);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => client.AssumeRoleAsync(request));

        Assert.Equal((code, 400), (error.ErrorCode, (int)error.StatusCode));
        Assert.Equal(400, Assert.Single(_sts.Calls).StatusCode);
    }

    [Fact]
    public async Task Limits_at_their_edges_pass()
    {
        using var client = StsTestKit.Client(_sts);

        var response = await client.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = StsTestKit.RoleArn,
            RoleSessionName = "a=b,c.d@e-f_" + new string('g', 52),
            DurationSeconds = 43200,
            ExternalId = "ab",
            SourceIdentity = "s+",
            Policy = PolicyOfLength(2048),
            Tags = [new Tag { Key = new string('k', 128), Value = string.Empty }],
        });

        Assert.NotNull(response.Credentials);
    }

    [Fact]
    public async Task Every_broken_constraint_is_reported_at_once()
    {
        using var client = StsTestKit.Client(_sts);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => client.AssumeRoleAsync(
            new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "a", DurationSeconds = 60 }));

        Assert.StartsWith("2 validation errors detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_max_below_the_request_is_refused()
    {
        await using var sts = await StsEmulator.StartAsync(StsTestKit.Options with { RoleMaxSessionDurationSeconds = 3600 });
        using var client = StsTestKit.Client(sts);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => client.AssumeRoleAsync(
            new AssumeRoleRequest { RoleArn = StsTestKit.RoleArn, RoleSessionName = "long", DurationSeconds = 3601 }));

        Assert.Equal("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", error.Message);
    }

    private static string PolicyOfLength(int length)
    {
        const string Head = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::""";
        const string Tail = "\"}]}";
        return Head + new string('x', length - Head.Length - Tail.Length) + Tail;
    }

    private static string Random(int length) => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
}
