using System.Text.RegularExpressions;
using CredentialVending.Brokering;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Template;

/// <summary>template.yaml's brokered mode against docs/api.md "Brokered tenants" and what the vend function reads.</summary>
public sealed class TemplateBrokerTests
{
    private static readonly YamlMappingNode Template = RepositoryFiles.LoadTemplate();

    private static YamlMappingNode Resources => Template.Map("Resources");

    [Fact]
    public void Only_the_vend_role_may_sign_with_the_key_or_read_its_public_half_and_the_account_only_administers_it()
    {
        var key = Resources.Map("BrokerSigningKey").Map("Properties");
        var statements = key.Map("KeyPolicy").Seq("Statement").Children.Cast<YamlMappingNode>().ToArray();

        Assert.Equal(("RSA_2048", "SIGN_VERIFY"), (key.Text("KeySpec"), key.Text("KeyUsage")));
        var use = Assert.Single(statements, s => s.Get("Action").Strings().Any(a => a is "kms:Sign" or "kms:GetPublicKey"));
        Assert.Equal(["kms:Sign", "kms:GetPublicKey"], use.Get("Action").Strings());
        Assert.Equal("!GetAtt VendFunctionRole.Arn", Yaml.Render(use.Map("Principal").Get("AWS")!));
        foreach (var administer in statements.Where(s => s != use))
        {
            // A wildcard that covers Sign, GetPublicKey or everything would let any IAM principal of the account mint tokens.
            Assert.DoesNotContain(administer.Get("Action").Strings(), a => Covers(a, "kms:Sign") || Covers(a, "kms:GetPublicKey"));
        }
    }

    [Fact]
    public void The_vend_function_gets_the_key_the_issuer_parameter_and_the_audience_the_code_defaults_to()
    {
        var variables = Resources.Map("VendFunction").Map("Properties").Map("Environment").Map("Variables");

        Assert.Equal("!If [HasBrokerIssuer, !GetAtt BrokerSigningKey.Arn, !Ref AWS::NoValue]", Yaml.Render(variables.Get("BROKER_KMS_KEY_ID")!));
        Assert.Equal("!If [HasBrokerIssuer, !Ref BrokerIssuer, !Ref AWS::NoValue]", Yaml.Render(variables.Get("BROKER_ISSUER")!));
        Assert.Equal($"!If [HasBrokerIssuer, {BrokerSettings.DefaultAudience}, !Ref AWS::NoValue]", Yaml.Render(variables.Get("BROKER_AUDIENCE")!));
    }

    [Fact]
    public void The_oidc_provider_is_for_the_issuer_with_the_audience_as_client_id_and_can_be_skipped()
    {
        var provider = Resources.Map("BrokerOidcProvider");

        Assert.Equal("CreatesBrokerOidcProvider", provider.Text("Condition"));
        Assert.Equal("!Ref BrokerIssuer", Yaml.Render(provider.Map("Properties").Get("Url")!));
        Assert.Equal([BrokerSettings.DefaultAudience], provider.Map("Properties").Get("ClientIdList").Strings());
        Assert.Equal(["true", "false"], Template.Map("Parameters").Map("CreateBrokerOidcProvider").Get("AllowedValues").Strings());
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("https://abc123.execute-api.us-east-1.amazonaws.com", true)]
    [InlineData("https://api.example.com/credentials", true)]
    [InlineData("https://api.example.com/", false)]
    [InlineData("http://api.example.com", false)]
    [InlineData("https://api.example.com?stage=prod", false)]
    public void The_issuer_parameter_takes_what_the_vend_function_takes(string value, bool taken)
    {
        var allowed = Template.Map("Parameters").Map("BrokerIssuer").Text("AllowedPattern")!;
        var read = BrokerSettings.FromVariables(name => name switch { "BROKER_KMS_KEY_ID" => value.Length == 0 ? null : "k", "BROKER_ISSUER" => value, _ => null }, allowInsecureLoopbackIssuers: false);

        Assert.Equal(taken, Regex.IsMatch(value, allowed.Replace("$", "\\z", StringComparison.Ordinal)));
        Assert.Equal(taken, !read.IsRefused);
    }

    [Fact]
    public void The_outputs_name_the_issuer_the_key_and_the_provider()
    {
        var outputs = Template.Map("Outputs");

        Assert.Equal("!Ref BrokerIssuer", Yaml.Render(outputs.Map("BrokerIssuerUrl").Get("Value")!));
        Assert.Equal("!GetAtt BrokerSigningKey.Arn", Yaml.Render(outputs.Map("BrokerSigningKeyArn").Get("Value")!));
        Assert.Equal("!Ref BrokerOidcProvider", Yaml.Render(outputs.Map("BrokerOidcProviderArn").Get("Value")!));
    }

    private static bool Covers(string pattern, string action) =>
        Regex.IsMatch(action, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase);
}
