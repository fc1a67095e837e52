using CredentialVending.Common;
using CredentialVending.Tenants.Lint;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Tenants.Lint;

/// <summary>Broken and leaking documents, each an edit of docs/api.md's example, and the finding each must produce among any others.</summary>
public class TenantLintFindingTests
{
    private const string Read0 = "scopes/files:read/statements/0";
    private const string At = "scopes.files:read.statements[0]";

    public static TheoryData<string, string, string> Broken => new()
    {
        // Actions are real: the bad action and the nearest real one.
        { Edit(Read0 + "/Action", "[\"s3:GetObjct\"]"), At + ".Action[0]", "s3:GetObjct: no such action; did you mean s3:GetObject?" },
        { Edit(Read0 + "/Action", "[\"s3:GetObject\",\"s3:Gett*\"]"), At + ".Action[1]", "s3:Gett*: matches no s3 action; did you mean s3:Get*?" },
        { Edit(Read0 + "/Action", "\"s4:GetObject\""), At + ".Action", "s4:GetObject: no such service prefix; did you mean s3:GetObject?" },
        { Edit(Read0 + "/Action", "\"s3:Frobnicate\""), At + ".Action", "s3:Frobnicate: no such action in s3" },
        { Edit(Read0 + "/Action", "\"mobilhub:ListProjects\""), At + ".Action", "no such service prefix; did you mean mobilehub:ListProjects?" },
        { Edit(Read0 + "/Action", "\"frobnicator:DoIt\""), At + ".Action", "frobnicator:DoIt: no such service prefix" },
        { Edit(Read0 + "/Action", "\"GetObject\""), At + ".Action", "not an action: write service:Action" },
        { Edit(Read0 + "/Action", "\"s3:{{claim:action}}\""), At + ".Action", "variables cannot stand in an action" },
        { Edit(Read0 + "/Action", "\"s*:GetObject\""), At + ".Action", "a wildcard cannot stand in the service prefix" },
        { Statement("""{"Effect":"Deny","Action":"s3:DeleteObjekt","Resource":"*"}"""), At + ".Action", "did you mean s3:DeleteObject?" },
        { Statement("""{"Effect":"Deny","NotAction":"s3:GetObjct","Resource":"*"}"""), At + ".NotAction", "did you mean s3:GetObject?" },

        // Refused in an Allow even when shared.
        { Edit(Read0 + "/Action", "\"*\""), At + ".Action", "\"*\" allows every action of every service" },
        { Shared("""{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}"""), At + ".Action[0]", "s3:* on Resource \"*\" allows every s3 action on every resource" },
        { Statement("""{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::acme-data/{{tenant}}/*"}"""), At + ".NotAction", "is refused in an Allow" },
        { Statement("""{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::acme-data/{{tenant}}/*"}"""), At + ".NotResource", "is refused in an Allow" },

        // Resources are well formed for their service, once variables are in.
        { Resource("arn:aws:s3:us-east-1:123456789012:acme-data/{{tenant}}/*"), At + ".Resource[0]", "an S3 bucket or object ARN, which has no region and no account" },
        { Resource("acme-data/{{tenant}}/*"), At + ".Resource[0]", "is not an ARN: write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE" },
        { Resource("arn:aws:s3::acme-data/{{tenant}}/*"), At + ".Resource[0]", "has fewer than six parts" },
        { Resource("arn:aws-foo:s3:::acme-data/{{tenant}}/*"), At + ".Resource[0]", "the partition \"aws-foo\": it must be aws, aws-cn or aws-us-gov" },
        { Resource("arn:aws:s33:::acme-data/{{tenant}}/*"), At + ".Resource[0]", "the service \"s33\", which AWS has none of; did you mean s3?" },
        { Resource("arn:aws:s3:::Acme_Data/{{tenant}}/*"), At + ".Resource[0]", "bucket names are lowercase" },
        { Act("dynamodb:GetItem", "arn:aws:dynamodb::123456789012:table/{{tenant}}-items"), At + ".Resource", "needs a region" },
        { Act("sqs:SendMessage", "arn:aws:sqs:us-east-1::{{tenant}}-jobs"), At + ".Resource", "needs an account" },
        { Act("sqs:SendMessage", "arn:aws:sqs:us-east-1:12345:{{tenant}}-jobs"), At + ".Resource", "an account id is 12 digits" },
        { Act("sqs:SendMessage", "arn:aws:sqs:useast1:123456789012:{{tenant}}-jobs"), At + ".Resource", "a region such as us-east-1" },
        { Act("iam:GetRole", "arn:aws:iam:us-east-1:123456789012:role/{{tenant}}"), At + ".Resource", "has a region, which iam ARNs have none of" },
        { Act("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012"), At + ".Resource", "has fewer than six parts" },

        // Isolation: every Allow is tied to the tenant, or its scope says it is shared.
        { Resource("arn:aws:s3:::acme-data/*"), At + ".Resource[0]", "is not tied to the tenant" },
        { Resource("arn:aws:s3:::acme-data/{{subject}}/*"), At + ".Resource[0]", "or mark the scope \"shared\": true" },
        { Resource("arn:aws:s3:::acme-data/{{tenant}}*"), At + ".Resource[0]", "\"acme*\" would also match tenant \"acme-2\"" },
        { Resource("arn:aws:s3:::acme-data/{{tenant}}-{{subject}}/*"), At + ".Resource[0]", "lets a wildcard, a variable or a letter, digit or - touch the tenant" },
        { Resource("arn:aws:s3:::acme-data/{{subject}}{{tenant}}/*"), At + ".Resource[0]", "has {{subject}}, a claim or another variable before the tenant" },
        { Resource("arn:aws:s3:::acme-data/*/{{tenant}}/*"), At + ".Resource[0]", "has a wildcard before the tenant" },
        { Act("sqs:SendMessage", "*"), At + ".Resource", "is not tied to the tenant" },
        { Conditioned("s3:GetObject", "arn:aws:s3:::acme-data/*", """{"StringEquals":{"aws:PrincipalTag/tenant":"{{tenant}}"}}"""), At + ".Resource", "is not tied to the tenant" },
        { Conditioned("sqs:SendMessage", "*", """{"StringEqualsIfExists":{"aws:ResourceTag/tenant":"{{tenant}}"}}"""), At + ".Condition.StringEqualsIfExists.aws:ResourceTag/tenant", "IfExists passes a request that has no aws:ResourceTag/tenant" },
        { Conditioned("dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/items", """{"ForAnyValue:StringEquals":{"dynamodb:LeadingKeys":"{{tenant}}"}}"""), At + ".Condition.ForAnyValue:StringEquals.dynamodb:LeadingKeys", "use ForAllValues: with \"Null\"" },
        { Conditioned("dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/items", """{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":"{{tenant}}"}}"""), At + ".Condition.ForAllValues:StringEquals.dynamodb:LeadingKeys", "add \"Null\": { \"dynamodb:LeadingKeys\": \"false\" }" },
        { Conditioned("dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/items", """{"StringEquals":{"dynamodb:LeadingKeys":"{{tenant}}"}}"""), At + ".Condition.StringEquals.dynamodb:LeadingKeys", "use ForAllValues:StringEquals" },
        { Conditioned("s3:ListBucket", "arn:aws:s3:::acme-data", """{"StringLike":{"s3:prefix":"{{tenant}}*"}}"""), At + ".Condition.StringLike.s3:prefix", "touch the tenant" },
        { Edit("sessionTags", "{\"subject\":\"{{subject}}\"}", Resource("arn:aws:s3:::acme-data/${aws:PrincipalTag/tenant}/*")), "sessionTags", "no session tag sets tenant to {{tenant}}" },
        { Edit("sessionTags/tenant", "\"{{subject}}\"", Resource("arn:aws:s3:::acme-data/${aws:PrincipalTag/tenant}/*")), "sessionTags", "add \"tenant\": \"{{tenant}}\" to sessionTags" },
        { Brokered(Edit("sessionTags", "{\"subject\":\"{{subject}}\"}")), "sessionTags", "must hold \"tenant\": \"{{tenant}}\" in brokered mode" },
        { Brokered(Edit("sessionTags/tenant", "\"{{claim:org}}\"")), "sessionTags", "must hold \"tenant\": \"{{tenant}}\" in brokered mode" },
        { Brokered(Edit("sessionTags/tenant", "\"{{tenant}}-x\"")), "sessionTags", "must hold \"tenant\": \"{{tenant}}\" in brokered mode" },

        // Grammar: IAM's condition operators and key shapes.
        { Edit(Read0 + "/Condition", """{"StringEqual":{"s3:prefix":"x"}}"""), At + ".Condition.StringEqual", "is not a condition operator of IAM's; did you mean StringEquals?" },
        { Edit(Read0 + "/Condition", """{"ForAnyValues:StringLike":{"s3:prefix":"x"}}"""), At + ".Condition.ForAnyValues:StringLike", "did you mean ForAnyValue:StringLike?" },
        { Edit(Read0 + "/Condition", """{"NullIfExists":{"s3:prefix":"true"}}"""), At + ".Condition.NullIfExists", "Null takes no IfExists" },
        { Edit(Read0 + "/Condition", """{"Null":{"s3:prefix":"maybe"}}"""), At + ".Condition.Null.s3:prefix", "must be true or false" },
        { Edit(Read0 + "/Condition", """{"Bool":{"aws:SecureTransport":["yes"]}}"""), At + ".Condition.Bool.aws:SecureTransport[0]", "must be true or false" },
        { Edit(Read0 + "/Condition", """{"StringLike":{"s3prefix":"x"}}"""), At + ".Condition.StringLike.s3prefix", "is not a condition key: write service:Name" },
        { Edit(Read0 + "/Condition", """{"StringLike":{"s4:prefix":"x"}}"""), At + ".Condition.StringLike.s4:prefix", "no service has the prefix \"s4\"; did you mean s3:prefix?" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_or_leaking_document_is_refused_with_its_finding(string json, string path, string message)
    {
        var refusal = Read(json).Refusal;

        Assert.Equal(Codes.InvalidTenant, refusal?.Code);
        Assert.Contains(refusal!.Errors!, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_stored_document_reads_whatever_the_lint_says_and_the_lint_says_what_put_says(string json, string path, string message)
    {
        _ = (path, message);
        var stored = ReadStored(json);
        if (stored.IsRefused)
        {
            // Refused by a rule older than the lint (NotAction in an Allow, an operator's shape): no stored document holds it.
            Assert.Equal(Codes.InvalidTenant, stored.Refusal!.Code);
            return;
        }

        Assert.Equal(Read(json).Refusal!.Errors!.ToHashSet(), TenantLint.Check(stored.Value!).ToHashSet());
    }

    [Fact]
    public void Every_problem_of_a_document_comes_at_once()
    {
        var json = Edit("scopes/files:write/statements/0/Resource", "\"arn:aws:s3:::acme-data/*\"",
            Edit(Read0 + "/Action", "[\"s3:GetObject\",\"s3:GetObjct\"]",
            Edit(Read0 + "/Condition", """{"StringEqual":{"s3:prefix":"x"}}""",
            Edit("status", "\"paused\""))));

        var paths = Read(json).Refusal!.Errors!.Select(e => e.Path).ToHashSet();

        Assert.Superset(new HashSet<string> { "status", At + ".Action[1]", At + ".Condition.StringEqual", "scopes.files:write.statements[0].Resource" }, paths);
    }

    private static string Statement(string json) => Edit(Read0, json);

    private static string Resource(string arn) => Edit(Read0 + "/Resource", $"[\"{arn}\"]");

    private static string Act(string action, string resource) =>
        Statement($$"""{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}""");

    private static string Conditioned(string action, string resource, string condition) =>
        Statement($$"""{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}","Condition":{{condition}}}""");

    private static string Shared(string statement) =>
        Edit("scopes/files:read/shared", "true", Statement(statement));
}
