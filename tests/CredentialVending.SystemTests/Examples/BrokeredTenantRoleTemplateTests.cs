using System.Text.Json;
using CredentialVending.SystemTests.Support;
using CredentialVending.SystemTests.Template;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Examples;

/// <summary>
/// examples/onboarding/brokered-tenant-role.yaml: valid CloudFormation, and a trust policy that only the service's tokens
/// for this tenant pass (its provider, its audience, a sub of tenantId:*), read as IAM gets it once substituted.
/// </summary>
public sealed class BrokeredTenantRoleTemplateTests
{
    private const string TemplatePath = "examples/onboarding/brokered-tenant-role.yaml";
    private const string ProviderArn = "arn:aws:iam::123456789012:oidc-provider/abc123.execute-api.us-east-1.amazonaws.com";

    [Fact]
    public async Task Cfn_lint_finds_nothing_in_the_brokered_tenant_role_template()
    {
        var (exitCode, output) = await RepositoryFiles.RunAsync(await PythonTools.InterpreterAsync(), [.. PythonTools.CfnLint, "--format", "parseable", TemplatePath], TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"cfn-lint {TemplatePath} exited {exitCode}:\n{output}");
    }

    [Fact]
    public void The_trust_names_the_provider_its_audience_and_this_tenants_subjects_for_a_web_identity_session_with_tags_and_source_identity()
    {
        using var trust = JsonDocument.Parse(Trust("acme"));
        var statement = Assert.Single(trust.RootElement.GetProperty("Statement").EnumerateArray());

        Assert.Equal(ProviderArn, statement.GetProperty("Principal").GetProperty("Federated").GetString());
        Assert.Equal(["sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        var condition = statement.GetProperty("Condition");
        Assert.Equal("credential-vending", condition.GetProperty("StringEquals").GetProperty("abc123.execute-api.us-east-1.amazonaws.com:aud").GetString());
        Assert.Equal("acme", condition.GetProperty("StringEquals").GetProperty("aws:RequestTag/tenant").GetString());
        Assert.Equal("acme:*", condition.GetProperty("StringLike").GetProperty("abc123.execute-api.us-east-1.amazonaws.com:sub").GetString());
    }

    /// <summary>The trust policy text with !Sub's variables filled as CloudFormation fills them for these parameters.</summary>
    private static string Trust(string tenantId)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(RepositoryFiles.PathOf(TemplatePath))))
        {
            stream.Load(reader);
        }

        var sub = (YamlSequenceNode)stream.Documents[0].RootNode.Map("Resources").Map("TenantRole").Map("Properties").Get("AssumeRolePolicyDocument")!;
        Assert.Equal("!Select [1, !Split [oidc-provider/, !Ref BrokerOidcProviderArn]]", Yaml.Render(sub.Children[1].Get("Provider")!));
        return ((YamlScalarNode)sub.Children[0]).Value!
            .Replace("${BrokerOidcProviderArn}", ProviderArn, StringComparison.Ordinal)
            .Replace("${Provider}", ProviderArn.Split("oidc-provider/")[1], StringComparison.Ordinal)
            .Replace("${TenantId}", tenantId, StringComparison.Ordinal);
    }
}
