using CredentialVending.SystemTests.Support;
using CredentialVending.SystemTests.Template;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Examples;

/// <summary>examples/onboarding/tenant-role.yaml: valid CloudFormation, and a trust policy that only the vend function passes.</summary>
public sealed class TenantRoleTemplateTests
{
    private const string TemplatePath = "examples/onboarding/tenant-role.yaml";

    [Fact]
    public async Task Cfn_lint_finds_nothing_in_the_tenant_role_template()
    {
        var (exitCode, output) = await RepositoryFiles.RunAsync(await PythonTools.InterpreterAsync(), [.. PythonTools.CfnLint, "--format", "parseable", TemplatePath], TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"cfn-lint {TemplatePath} exited {exitCode}:\n{output}");
    }

    [Fact]
    public void The_trust_policy_names_only_the_vend_role_with_the_external_id_and_allows_tags_and_source_identity()
    {
        var role = Map(Map(Map(Load(), "Resources"), "TenantRole"), "Properties");
        var statement = Assert.IsType<YamlMappingNode>(Assert.Single(Seq(Map(role, "AssumeRolePolicyDocument"), "Statement")));

        Assert.Equal("Allow", Text(statement, "Effect"));
        var principal = Map(statement, "Principal");
        Assert.Equal(["AWS"], principal.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal("!Ref", principal.Children[new YamlScalarNode("AWS")].Tag.Value);
        Assert.Equal("VendFunctionRoleArn", Text(principal, "AWS"));
        Assert.Equal(["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], Seq(statement, "Action").Select(a => ((YamlScalarNode)a).Value));
        var equals = Map(Map(statement, "Condition"), "StringEquals");
        Assert.Equal("ExternalId", Text(equals, "sts:ExternalId"));
    }

    [Fact]
    public void Every_permission_is_scoped_by_the_sessions_tenant_tag()
    {
        var role = Map(Map(Map(Load(), "Resources"), "TenantRole"), "Properties");
        var statements = Seq(Map(Assert.IsType<YamlMappingNode>(Assert.Single(Seq(role, "Policies"))), "PolicyDocument"), "Statement").Cast<YamlMappingNode>().ToArray();

        Assert.NotEmpty(statements);
        Assert.All(statements, s => Assert.Contains(s.AllNodes.OfType<YamlScalarNode>(), n => n.Value!.Contains("aws:PrincipalTag/tenant}", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_saml_role_trusts_only_the_tenants_saml_provider_for_the_audience_given()
    {
        var role = Map(Map(Map(Load(), "Resources"), "SamlTenantRole"), "Properties");
        var statement = Assert.IsType<YamlMappingNode>(Assert.Single(Seq(Map(role, "AssumeRolePolicyDocument"), "Statement")));

        Assert.Equal("Allow", Text(statement, "Effect"));
        var principal = Map(statement, "Principal");
        Assert.Equal(["Federated"], principal.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal("SamlProviderArn", Text(principal, "Federated"));
        Assert.Equal(["sts:AssumeRoleWithSAML"], Seq(statement, "Action").Select(a => ((YamlScalarNode)a).Value));
        Assert.Equal("SamlAudience", Text(Map(Map(statement, "Condition"), "StringEquals"), "SAML:aud"));
    }

    [Theory]
    [InlineData("TenantRole", "IsAssumeRole")]
    [InlineData("SamlTenantRole", "IsSaml")]
    public void One_role_is_made_as_the_saml_provider_is_given_or_not(string resource, string condition)
    {
        Assert.Equal(condition, Text(Map(Map(Load(), "Resources"), resource), "Condition"));
    }

    [Fact]
    public void Every_permission_of_the_saml_role_names_the_tenants_own_prefix()
    {
        var role = Map(Map(Map(Load(), "Resources"), "SamlTenantRole"), "Properties");
        var statements = Seq(Map(Assert.IsType<YamlMappingNode>(Assert.Single(Seq(role, "Policies"))), "PolicyDocument"), "Statement").Cast<YamlMappingNode>().ToArray();

        Assert.NotEmpty(statements);
        Assert.All(statements, s => Assert.Contains(s.AllNodes.OfType<YamlScalarNode>(), n => n.Value!.Contains("${TenantId}", StringComparison.Ordinal)));
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(RepositoryFiles.PathOf(TemplatePath)));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => Assert.IsType<YamlMappingNode>(node.Children[new YamlScalarNode(key)]);

    private static IEnumerable<YamlNode> Seq(YamlMappingNode node, string key) => Assert.IsType<YamlSequenceNode>(node.Children[new YamlScalarNode(key)]).Children;

    private static string? Text(YamlMappingNode node, string key) => (node.Children[new YamlScalarNode(key)] as YamlScalarNode)?.Value;
}
