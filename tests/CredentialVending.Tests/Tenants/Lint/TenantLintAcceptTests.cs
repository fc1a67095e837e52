using CredentialVending.Tenants;
using CredentialVending.Tenants.Lint;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Tenants.Lint;

/// <summary>Scopes a careful tenant writes, across the services the docs use: the lint must let every one through.</summary>
public class TenantLintAcceptTests
{
    public static TheoryData<string> Statements => new()
    {
        // S3: objects under the tenant's prefix, listing only that prefix, wildcard actions, IAM's own tenant variable.
        """{"Effect":"Allow","Action":["s3:Get*","s3:putobject"],"Resource":"arn:aws:s3:::acme-data/{{tenant}}/{{subject}}/*"}""",
        """{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::acme-data","Condition":{"StringLike":{"s3:prefix":["{{tenant}}/*","{{tenant}}/"]}}}""",
        """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::${aws:PrincipalTag/tenant}.data/*"}""",
        """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws-cn:s3:::acme-data/{{tenant}}"}""",
        // DynamoDB: a shared table, each tenant's items by partition key.
        """{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/items","Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["{{tenant}}#{{subject}}"]},"Null":{"dynamodb:LeadingKeys":"false"}}}""",
        """{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"arn:aws:dynamodb:*:123456789012:table/{{tenant}}_items"}""",
        // Attribute-based: resources tagged with the tenant.
        """{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:*:123456789012:*","Condition":{"StringEquals":{"aws:ResourceTag/tenant":"${aws:PrincipalTag/tenant}"}}}""",
        // One resource per tenant in the services the docs name.
        """{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:{{tenant}}_jobs"}""",
        """{"Effect":"Allow","Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:123456789012:{{tenant}}_events"}""",
        """{"Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"arn:aws:kms:us-east-1:123456789012:alias/{{tenant}}"}""",
        """{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/tenants/{{tenant}}/*"}""",
        """{"Effect":"Allow","Action":["iot:Connect","iot:Publish"],"Resource":"arn:aws:iot:us-east-1:123456789012:topic/tenants/{{tenant}}/{{subject}}"}""",
        """{"Effect":"Allow","Action":"kinesis:PutRecord","Resource":"arn:aws:kinesis:us-east-1:123456789012:stream/{{tenant}}_clicks"}""",
        """{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:us-east-1:123456789012:log-group:/tenants/{{tenant}}:*"}""",
        """{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:{{tenant}}_hook"}""",
        """{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:tenants/{{tenant}}/*"}""",
        """{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:123456789012:parameter/tenants/{{tenant}}/*"}""",
        """{"Effect":"Allow","Action":"states:StartExecution","Resource":"arn:aws:states:us-east-1:123456789012:stateMachine:{{tenant}}_flow"}""",
        """{"Effect":"Allow","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:123456789012:event-bus/{{tenant}}"}""",
        """{"Effect":"Allow","Action":"sts:TagSession","Resource":"arn:aws:iam::123456789012:role/tenants/{{tenant}}/reader"}""",
        // Actions AWS's own managed policies name beyond the reference list (retired services, older actions).
        """{"Effect":"Allow","Action":["mobilehub:ListProjects","zocalo:Describe*","cloudhsm:DescribeHapg"],"Resource":"arn:aws:s3:::acme-data/{{tenant}}/*"}""",
        // Condition keys with colons after the name, as IAM takes them.
        """{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:123456789012:key/*","Condition":{"StringEquals":{"aws:ResourceTag/tenant":"{{tenant}}","kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::acme-data/{{tenant}}/x","aws:ResourceTag/aws:cloudformation:stack-name":"s"}}}""",
        // Deny is never tied: it only takes away.
        """{"Effect":"Deny","Action":"s3:*","Resource":"*"}""",
        """{"Effect":"Deny","NotAction":["s3:Get*"],"NotResource":"arn:aws:s3:::acme-data/{{tenant}}/*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":false}}}""",
        """{"Sid":"Tls","Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"},"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}""",
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public void A_tied_well_formed_statement_passes(string statement)
    {
        var outcome = Read(Edit("scopes/files:read/statements/0", statement));

        Assert.Null(outcome.Refusal);
        Assert.Empty(TenantLint.Check(outcome.Value!));
    }

    [Fact]
    public void A_shared_scope_may_reach_what_every_tenant_shares_and_keeps_its_mark()
    {
        var json = Edit("scopes/catalog", """
            { "shared": true, "statements": [
              { "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*" },
              { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-catalog/*" } ] }
            """);

        var tenant = Valid(json);

        Assert.True(tenant.FindScope("catalog")!.Shared);
        Assert.False(tenant.FindScope("files:read")!.Shared);
    }

    [Fact]
    public void In_web_identity_mode_the_identity_provider_sets_the_tenant_tag() =>
        Valid(Edit("scopes/files:read/statements/0/Resource", "\"arn:aws:s3:::acme-data/${aws:PrincipalTag/tenant}/*\"",
            Edit("issuance/mode", "\"webIdentity\"", Edit("issuance/externalId", null, Edit("sessionTags", null)))));

    [Fact]
    public void In_brokered_mode_the_service_sets_the_tenant_tag_and_sessions_may_last_twelve_hours()
    {
        var tenant = Valid(Edit("scopes/files:read/statements/0/Resource", "\"arn:aws:s3:::acme-data/${aws:PrincipalTag/tenant}/*\"",
            Brokered(Edit("issuance/maxDurationSeconds", "43200"))));

        Assert.Equal(IssuanceMode.Brokered, tenant.Issuance.Mode);
        Assert.Equal(43200, tenant.Issuance.MaxDurationSeconds);
    }

    [Fact]
    public void The_contract_example_passes() => Assert.Empty(TenantLint.Check(Valid()));
}
