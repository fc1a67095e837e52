using CredentialVending.Common;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Tenants.Lint;

/// <summary>
/// Hostile tenant documents: each a way a scope could reach past its tenant (or past the caller's subject into another
/// tenant's names), with the finding PUT must answer it with. Then the shapes a careful tenant writes, which must pass.
/// </summary>
public sealed class HostileDocumentTests
{
    private const string At = "scopes.files:read.statements[0]";
    private const string Bucket = "arn:aws:s3:::acme-data";
    private const string Table = "arn:aws:dynamodb:us-east-1:123456789012:table/items";
    private const string Tenant = "{{tenant}}";
    private const string Subject = "{{subject}}";

    public static TheoryData<string, string, string, string> Leaks => new()
    {
        // The tenant in the resource, but not fenced off from other tenants' names.
        { "a wildcard touching the tenant", Resource($"{Bucket}/{{{{tenant}}}}*"), At + ".Resource[0]", "touch the tenant" },
        { "a hyphen after the tenant (tenant acme-orders names acme-orders too)", Resource("arn:aws:dynamodb:us-east-1:123456789012:table/{{tenant}}-orders"), At + ".Resource[0]", "touch the tenant" },
        { "a letter before the tenant", Resource($"{Bucket}/x{{{{tenant}}}}/*"), At + ".Resource[0]", "touch the tenant" },
        { "a wildcard bucket before the tenant", Resource("arn:aws:s3:::*/{{tenant}}/*"), At + ".Resource[0]", "has a wildcard before the tenant" },
        { "a ? before the tenant", Resource("arn:aws:s3:::acme-dat?/{{tenant}}/*"), At + ".Resource[0]", "has a wildcard before the tenant" },
        { "the subject naming the bucket", Resource("arn:aws:s3:::{{subject}}/{{tenant}}/*"), At + ".Resource[0]", "has {{subject}}, a claim or another variable before the tenant" },
        { "a claim before the tenant", Resource($"{Bucket}/{{{{claim:org}}}}/{{{{tenant}}}}/*"), At + ".Resource[0]", "another variable before the tenant" },
        { "an IAM variable before the tenant", Resource($"{Bucket}/${{aws:username}}/{{{{tenant}}}}/*"), At + ".Resource[0]", "another variable before the tenant" },
        { "the tenant only in the account field", Resource("arn:aws:sqs:us-east-1:{{tenant}}:jobs"), At + ".Resource[0]", "is not tied to the tenant" },
        { "a wildcard account", Resource("arn:aws:sqs:us-east-1:*:{{tenant}}_jobs"), At + ".Resource[0]", "a wildcard or a variable in its partition, service or account" },
        { "a wildcard service", Resource("arn:aws:*:us-east-1:123456789012:{{tenant}}_jobs"), At + ".Resource[0]", "a wildcard or a variable in its partition, service or account" },
        { "an untied Resource *", Resource("*"), At + ".Resource[0]", "is not tied to the tenant" },

        // One subject's names must not match another's.
        { "a wildcard right after the subject", Resource($"{Bucket}/{{{{tenant}}}}/{{{{subject}}}}*"), At + ".Resource[0]", "so alice's policy would also match subject alice2's names" },
        { "a claim right after the subject", Resource($"{Bucket}/{{{{tenant}}}}/{{{{subject}}}}.{{{{claim:org}}}}/*"), At + ".Resource[0]", "follow {{subject}} (or a claim) with no fence between" },
        { "a wildcard after the subject in a condition-tied statement", Conditioned("s3:GetObject", $"{Bucket}/{{{{subject}}}}-*", """{"StringEquals":{"s3:ExistingObjectTag/tenant":"{{tenant}}"}}"""), At + ".Resource", "follow {{subject}} (or a claim) with no fence between" },

        { "a wildcard after the subject in s3:prefix", Conditioned("s3:ListBucket", Bucket, """{"StringLike":{"s3:prefix":"{{tenant}}/{{subject}}*"}}"""), At + ".Condition.StringLike.s3:prefix", "so alice's policy would also match subject alice2's names" },

        // Caller-chosen values where the caller would choose the account or the service, in any scope.
        { "the subject in the account field", Resource("arn:aws:sqs:us-east-1:{{subject}}:{{tenant}}_jobs"), At + ".Resource[0]", "in its partition, service, region or account, shared or not" },
        { "a claim in the region field", Resource("arn:aws:sqs:{{claim:region}}:123456789012:{{tenant}}_jobs"), At + ".Resource[0]", "in its partition, service, region or account" },
        { "a claim in the account field of a shared scope", Shared(Resource("arn:aws:sqs:us-east-1:{{claim:acct}}:jobs")), At + ".Resource[0]", "shared or not" },
        { "a claim whose name holds colons, read as ARN fields", Resource("arn:aws:sqs:us-east-1:{{claim:x:y}}:{{tenant}}_jobs"), At + ".Resource[0]", "in its partition, service, region or account" },
        { "a claim choosing the IAM variable in the account field", Resource("arn:aws:sqs:us-east-1:${aws:PrincipalTag/{{claim:tag}}}:{{tenant}}_jobs"), At + ".Resource[0]", "in its partition, service, region or account" },
        { "a claim choosing the IAM variable before the tenant", Resource($"{Bucket}/${{aws:PrincipalTag/{{{{claim:tag}}}}}}/{{{{tenant}}}}/*"), At + ".Resource[0]", "another variable before the tenant" },
        { "a template variable split by another", Resource($"{Bucket}/{{{{claim:x/{{{{tenant}}}}}}}}/*"), At + ".Resource[0]", "unknown template variable" },

        // Conditions on keys that the caller's own request sets tie nothing, whatever they compare.
        { "aws:UserAgent", Keyed("StringEquals", "aws:UserAgent"), At + ".Condition.StringEquals.aws:UserAgent", "the caller's own request sets aws:UserAgent" },
        { "aws:Referer", Keyed("StringLike", "aws:Referer"), At + ".Condition.StringLike.aws:Referer", "the caller's own request sets" },
        { "aws:RequestTag", Keyed("StringEquals", "aws:RequestTag/tenant"), At + ".Condition.StringEquals.aws:RequestTag/tenant", "the caller's own request sets" },
        { "s3:RequestObjectTag", Keyed("StringEquals", "s3:RequestObjectTag/tenant"), At + ".Condition.StringEquals.s3:RequestObjectTag/tenant", "the caller's own request sets" },
        { "an s3:x-amz header", Keyed("StringEquals", "s3:x-amz-meta-tenant"), At + ".Condition.StringEquals.s3:x-amz-meta-tenant", "the caller's own request sets" },
        { "aws:TagKeys", Keyed("ForAllValues:StringEquals", "aws:TagKeys"), At + ".Condition.ForAllValues:StringEquals.aws:TagKeys", "the caller's own request sets" },
        { "a KMS encryption context", Keyed("StringEquals", "kms:EncryptionContext:tenant"), At + ".Condition.StringEquals.kms:EncryptionContext:tenant", "the caller's own request sets" },
        { "ArnLike on aws:SourceArn", Keyed("ArnLike", "aws:SourceArn", "arn:aws:s3:::{{tenant}}_in"), At + ".Condition.ArnLike.aws:SourceArn", "the caller's own request sets" },
        { "a key of no allow-list", Keyed("StringEquals", "ec2:ResourceTag/tenant"), At + ".Condition.StringEquals.ec2:ResourceTag/tenant", "is not among the keys that do" },
        { "the session's own tag as the key, on a bucket every tenant shares", Keyed("StringEquals", "aws:PrincipalTag/tenant"), At + ".Condition.StringEquals.aws:PrincipalTag/tenant", "always true and restricts no resource" },
        { "the principal's ARN as the key", Keyed("ArnLike", "aws:PrincipalArn", "arn:aws:sts::123456789012:assumed-role/{{tenant}}/*"), At + ".Condition.ArnLike.aws:PrincipalArn", "describes the caller, not the resource" },
        { "the fix is named with the refusal", Keyed("StringEquals", "aws:UserAgent"), At + ".Condition.StringEquals.aws:UserAgent", "tie by a key of the resource instead" },

        // Operators that let a request without the key, or with other tenants' values, through.
        { "IfExists", Keyed("StringEqualsIfExists", "aws:ResourceTag/tenant"), At + ".Condition.StringEqualsIfExists.aws:ResourceTag/tenant", "IfExists passes a request that has no aws:ResourceTag/tenant" },
        { "ForAnyValue", Conditioned("dynamodb:Query", Table, """{"ForAnyValue:StringEquals":{"dynamodb:LeadingKeys":"{{tenant}}"}}"""), At + ".Condition.ForAnyValue:StringEquals.dynamodb:LeadingKeys", "ForAnyValue passes when any one value" },
        { "LeadingKeys without a Null check", Conditioned("dynamodb:Query", Table, """{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":"{{tenant}}"}}"""), At + ".Condition.ForAllValues:StringEquals.dynamodb:LeadingKeys", "add \"Null\": { \"dynamodb:LeadingKeys\": \"false\" }" },
        { "LeadingKeys on any table", Conditioned("dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/*", """{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":"{{tenant}}"},"Null":{"dynamodb:LeadingKeys":"false"}}"""), At + ".Condition.ForAllValues:StringEquals.dynamodb:LeadingKeys", "other tenants' own buckets and tables too" },
        { "a second value naming another tenant", Keyed("StringEquals", "aws:ResourceTag/tenant", "{{tenant}}\",\"globex"), At + ".Condition.StringEquals.aws:ResourceTag/tenant", "is not tied to the tenant" },
        { "a tag value a capital continues, compared without case", Keyed("StringEqualsIgnoreCase", "aws:ResourceTag/tenant", "{{tenant}}X"), At + ".Condition.StringEqualsIgnoreCase.aws:ResourceTag/tenant", "touch the tenant" },

        // s3:prefix fences keys inside a bucket, so the tenant must be fenced in it and the bucket named.
        { "s3:prefix with a wildcard before the tenant", Conditioned("s3:ListBucket", Bucket, """{"StringLike":{"s3:prefix":"*/{{tenant}}/*"}}"""), At + ".Condition.StringLike.s3:prefix", "has a wildcard before the tenant" },
        { "s3:prefix unfenced", Conditioned("s3:ListBucket", Bucket, """{"StringLike":{"s3:prefix":"{{tenant}}*"}}"""), At + ".Condition.StringLike.s3:prefix", "touch the tenant" },
        { "s3:prefix ending at the tenant, which lists tenant acme-2's keys too", Conditioned("s3:ListBucket", Bucket, """{"StringLike":{"s3:prefix":["{{tenant}}/*","{{tenant}}"]}}"""), At + ".Condition.StringLike.s3:prefix", "end the tenant with a /" },
        { "s3:prefix on every bucket", Conditioned("s3:ListBucket", "*", """{"StringLike":{"s3:prefix":"{{tenant}}/*"}}"""), At + ".Condition.StringLike.s3:prefix", "fences what a request names inside a bucket or table" },
        { "s3:prefix on the subject's bucket", Conditioned("s3:ListBucket", "arn:aws:s3:::{{subject}}", """{"StringLike":{"s3:prefix":"{{tenant}}/*"}}"""), At + ".Condition.StringLike.s3:prefix", "fences what a request names inside a bucket or table" },

        // ${aws:PrincipalTag/tenant} is the tenant only where the service sets that tag.
        { "the tenant tag without the session tag", Edit("sessionTags", "{\"subject\":\"{{subject}}\"}", Resource($"{Bucket}/${{aws:PrincipalTag/tenant}}/*")), "sessionTags", "no session tag sets tenant to {{tenant}}" },
        { "the tenant tag set from the subject", Edit("sessionTags/tenant", "\"{{subject}}\"", Keyed("StringEquals", "aws:ResourceTag/tenant", "${aws:PrincipalTag/tenant}")), "sessionTags", "add \"tenant\": \"{{tenant}}\" to sessionTags" },

        // Allow statements that name what they do not allow.
        { "NotResource in an Allow", Statement($$"""{"Effect":"Allow","Action":"s3:GetObject","NotResource":"{{Bucket}}/{{Tenant}}/*"}"""), At + ".NotResource", "is refused in an Allow" },
        { "NotAction in an Allow", Statement($$"""{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"{{Bucket}}/{{Tenant}}/*"}"""), At + ".NotAction", "is refused in an Allow" },
        { "every action, even shared", Shared(Statement("""{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::shared/*"}""")), At + ".Action", "allows every action of every service" },
    };

    public static TheoryData<string, string> Kept => new()
    {
        { "the contract's example", Acme },
        { "the tenant fenced by /", Resource($"{Bucket}/{{{{tenant}}}}/{{{{subject}}}}/*") },
        { "the tenant at the end", Resource($"{Bucket}/tenants/{{{{tenant}}}}") },
        { "the tenant fenced by _ and .", Resource("arn:aws:dynamodb:us-east-1:123456789012:table/{{tenant}}_orders/index/{{tenant}}.by-date") },
        { "literal text after the subject", Resource($"{Bucket}/{{{{tenant}}}}/{{{{subject}}}}.json") },
        { "the subject after a # fence", Resource($"{Bucket}/{{{{tenant}}}}#{{{{subject}}}}") },
        { "any region", Resource("arn:aws:sqs:*:123456789012:{{tenant}}_jobs") },
        { "a request-set condition beside a tied resource", Conditioned("s3:GetObject", $"{Bucket}/{{{{tenant}}}}/*", """{"StringEquals":{"aws:RequestTag/tenant":"{{tenant}}"}}""") },
        { "s3:prefix on a named bucket", Conditioned("s3:ListBucket", Bucket, """{"StringLike":{"s3:prefix":["{{tenant}}/*","{{tenant}}/"]}}""") },
        { "LeadingKeys with a Null check on a table and its indexes", Statement($$$$"""{"Effect":"Allow","Action":"dynamodb:Query","Resource":["{{{{Table}}}}","{{{{Table}}}}/index/*"],"Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["{{{{Tenant}}}}","{{{{Tenant}}}}#{{{{Subject}}}}"]},"Null":{"dynamodb:LeadingKeys":"false"}}}""") },
        { "a resource tag against the tenant tag", Conditioned("sqs:SendMessage", "arn:aws:sqs:*:123456789012:*", """{"StringEquals":{"aws:ResourceTag/tenant":"${aws:PrincipalTag/tenant}"}}""") },
        { "an existing object tag", Keyed("StringEquals", "s3:ExistingObjectTag/tenant") },
        { "any resource tag key, without case", Keyed("StringEqualsIgnoreCase", "aws:ResourceTag/owner") },
        { "the tenant tag in webIdentity mode, where vend checks the token's tags", Edit("issuance/mode", "\"webIdentity\"", Edit("issuance/externalId", null, Edit("sessionTags", null, Resource($"{Bucket}/${{aws:PrincipalTag/tenant}}/*")))) },
        { "the subject in a shared scope's resource", Shared(Resource("arn:aws:s3:::shared-assets/{{subject}}/*")) },
        { "the principal's account in a shared scope", Shared(Resource("arn:aws:kms:*:${aws:PrincipalAccount}:key/*")) },
    };

    [Theory]
    [MemberData(nameof(Leaks))]
    public void A_document_that_could_leak_past_its_tenant_is_refused_with_its_finding(string leak, string json, string path, string message)
    {
        var refusal = Read(json).Refusal;

        Assert.True(refusal is not null, $"{leak}: accepted");
        Assert.Equal(Codes.InvalidTenant, refusal.Code);
        Assert.True(
            refusal.Errors!.Any(e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal)),
            $"{leak}: no finding at {path} saying \"{message}\" among: {string.Join(" | ", refusal.Errors!.Select(e => $"{e.Path} {e.Message}"))}");
    }

    [Theory]
    [MemberData(nameof(Kept))]
    public void A_document_a_careful_tenant_writes_is_accepted(string shape, string json)
    {
        var refusal = Read(json).Refusal;

        Assert.True(refusal is null, $"{shape}: {string.Join(" | ", refusal?.Errors?.Select(e => $"{e.Path} {e.Message}") ?? [])}");
    }

    private static string Statement(string json) => Edit("scopes/files:read/statements/0", json);

    private static string Resource(string arn) => Edit("scopes/files:read/statements/0/Resource", $"[\"{arn}\"]");

    private static string Conditioned(string action, string resource, string condition) =>
        Statement($$"""{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}","Condition":{{condition}}}""");

    /// <summary>s3:GetObject on a bucket every tenant shares, tied (or not) only by comparing <paramref name="key"/> to the tenant.</summary>
    private static string Keyed(string op, string key, string value = "{{tenant}}") =>
        Conditioned("s3:GetObject", $"{Bucket}/*", $$$"""{"{{{op}}}":{"{{{key}}}":["{{{value}}}"]}}""");

    private static string Shared(string json) => Edit("scopes/files:read/shared", "true", json);
}
