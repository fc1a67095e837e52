using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Template;

/// <summary>The ledger's tables as docs/api.md names them, and each function's role holding only what it needs.</summary>
public sealed class TemplateLedgerAndPolicyTests
{
    private static readonly YamlMappingNode Template = RepositoryFiles.LoadTemplate();

    [Fact]
    public void The_tenants_table_is_keyed_by_tenant_id()
    {
        var table = Table("TenantsTable");
        Assert.Equal(["tenantId HASH"], Keys(table.Seq("KeySchema")));
        Assert.Equal(["tenantId S"], Attributes(table));
        Assert.Null(table.Get("GlobalSecondaryIndexes"));
    }

    [Fact]
    public void The_leases_table_has_the_keys_indexes_and_ttl_of_api_md()
    {
        var table = Table("LeasesTable");
        Assert.Equal(["tenantId HASH", "leaseId RANGE"], Keys(table.Seq("KeySchema")));
        Assert.Equal(["accessKeyId S", "leaseId S", "tenantId S", "tenantSubject S"], Attributes(table));

        var indexes = table.Seq("GlobalSecondaryIndexes").Children.ToDictionary(i => i.Text("IndexName")!, StringComparer.Ordinal);
        Assert.Equal(["byAccessKey", "bySubject"], indexes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["accessKeyId HASH"], Keys(indexes["byAccessKey"].Seq("KeySchema")));
        Assert.Equal(["tenantSubject HASH", "leaseId RANGE"], Keys(indexes["bySubject"].Seq("KeySchema")));
        Assert.All(indexes.Values, i => Assert.Equal("ALL", i.Map("Projection").Text("ProjectionType")));

        var ttl = table.Map("TimeToLiveSpecification");
        Assert.Equal("ttl", ttl.Text("AttributeName"));
        Assert.Equal("true", ttl.Text("Enabled"));
    }

    [Theory]
    [InlineData("TenantsTable")]
    [InlineData("LeasesTable")]
    public void Tables_are_on_demand_encrypted_recoverable_and_retained(string logicalId)
    {
        var resource = Template.Map("Resources").Map(logicalId);
        Assert.Equal("AWS::DynamoDB::Table", resource.Text("Type"));
        Assert.Equal("Retain", resource.Text("DeletionPolicy"));
        Assert.Equal("Retain", resource.Text("UpdateReplacePolicy"));
        var table = resource.Map("Properties");
        Assert.Equal("PAY_PER_REQUEST", table.Text("BillingMode"));
        Assert.Equal("true", table.Map("PointInTimeRecoverySpecification").Text("PointInTimeRecoveryEnabled"));
        Assert.Equal("true", table.Map("SSESpecification").Text("SSEEnabled"));
        Assert.Null(table.Get("TableName"));
    }

    /// <summary>
    /// Each function's whole policy, as "action on resource" (with " if" and the condition where there is one): adding a
    /// permission means changing this table. <see cref="DynamoCallLogTests"/> holds the DynamoDB part against the calls
    /// each function really sends.
    /// </summary>
    [Theory]
    [InlineData("VendFunction",
        "sts:AssumeRole on !Ref TenantRoleArnPattern",
        "sts:TagSession on !Ref TenantRoleArnPattern",
        "sts:SetSourceIdentity on !Ref TenantRoleArnPattern",
        "dynamodb:GetItem on !GetAtt TenantsTable.Arn",
        "dynamodb:PutItem on !GetAtt LeasesTable.Arn",
        "dynamodb:UpdateItem on !GetAtt LeasesTable.Arn if {ForAllValues:StringLike: {dynamodb:LeadingKeys: [_rate#*]}, Null: {dynamodb:LeadingKeys: false}}")]
    [InlineData("DecodeFunction",
        "sts:DecodeAuthorizationMessage on *",
        "dynamodb:GetItem on !GetAtt LeasesTable.Arn",
        "dynamodb:GetItem on !GetAtt TenantsTable.Arn")]
    [InlineData("LeasesFunction",
        "dynamodb:GetItem on !GetAtt LeasesTable.Arn",
        "dynamodb:Query on !GetAtt LeasesTable.Arn",
        "dynamodb:Query on !Sub ${LeasesTable.Arn}/index/bySubject",
        "dynamodb:Query on !Sub ${LeasesTable.Arn}/index/byAccessKey",
        "dynamodb:GetItem on !GetAtt TenantsTable.Arn")]
    [InlineData("AdminFunction",
        "dynamodb:GetItem on !GetAtt TenantsTable.Arn",
        "dynamodb:PutItem on !GetAtt TenantsTable.Arn",
        "dynamodb:UpdateItem on !GetAtt TenantsTable.Arn",
        "dynamodb:DeleteItem on !GetAtt TenantsTable.Arn",
        "dynamodb:Scan on !GetAtt TenantsTable.Arn",
        "dynamodb:Query on !Sub ${LeasesTable.Arn}/index/byAccessKey")]
    public void Each_function_may_do_only_what_it_needs(string logicalId, params string[] expected)
    {
        var properties = Template.Map("Resources").Map(logicalId).Map("Properties");
        var granted = new List<string>();
        foreach (var policy in properties.Seq("Policies").Children)
        {
            // Only inline statements: a SAM policy template or a managed policy would grant more than this table shows.
            Assert.IsType<YamlMappingNode>(policy);
            foreach (var statement in policy.Seq("Statement").Children)
            {
                Assert.Equal("Allow", statement.Text("Effect"));
                Assert.Null(statement.Get("NotAction"));
                Assert.Null(statement.Get("NotResource"));
                var condition = statement.Get("Condition") is { } c ? " if " + Yaml.Render(c) : string.Empty;
                granted.AddRange(
                    from action in statement.Get("Action").Strings()
                    from resource in statement.Get("Resource").Strings()
                    select $"{action} on {resource}{condition}");
            }
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
    }

    private YamlMappingNode Table(string logicalId) => Template.Map("Resources").Map(logicalId).Map("Properties");

    private static string[] Keys(YamlSequenceNode schema) =>
        schema.Children.Select(k => $"{k.Text("AttributeName")} {k.Text("KeyType")}").ToArray();

    private static string[] Attributes(YamlMappingNode table) =>
        table.Seq("AttributeDefinitions").Children.Select(a => $"{a.Text("AttributeName")} {a.Text("AttributeType")}").Order(StringComparer.Ordinal).ToArray();
}
