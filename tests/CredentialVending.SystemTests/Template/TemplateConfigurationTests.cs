using CredentialVending.Functions.Hosting;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Template;

/// <summary>template.yaml's functions, parameters and API settings against what the code reads and docs/api.md says.</summary>
public sealed class TemplateConfigurationTests
{
    /// <summary>Variables the code reads that the template must not set, and why.</summary>
    private static readonly Dictionary<string, string> NotSetByTheTemplate = new(StringComparer.Ordinal)
    {
        ["AWS_REGION"] = "Lambda sets it.",
        ["AWS_DEFAULT_REGION"] = "Lambda sets it.",
        ["INSECURE_LOOPBACK_ISSUERS"] = "For local runs and tests only: a deployed function never accepts an http:// issuer.",
        ["AWS_ENDPOINT_URL_KMS"] = "The SDKs' standard endpoint override, for a local KMS: a deployed function uses the region's.",
    };

    /// <summary>Variables only some functions get, by the function that reads them.</summary>
    private static readonly Dictionary<string, string> SetForOneFunction = new(StringComparer.Ordinal)
    {
        ["TENANT_ROLE_ARN_PATTERN"] = "AdminFunction",
        ["BROKER_KMS_KEY_ID"] = "VendFunction",
        ["BROKER_ISSUER"] = "VendFunction",
        ["BROKER_AUDIENCE"] = "VendFunction",
    };

    private static readonly YamlMappingNode Template = RepositoryFiles.LoadTemplate();

    private static YamlMappingNode GlobalFunction => Template.Map("Globals").Map("Function");

    [Fact]
    public void Every_variable_the_code_reads_is_set_for_every_function()
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        FunctionConfiguration.FromVariables(name =>
        {
            read.Add(name);
            return "1";
        });

        // docs/api.md's table, in case a reader short-circuits before naming one.
        read.UnionWith(["TENANTS_TABLE", "LEASES_TABLE", "STS_ENDPOINTS", "ADMIN_PRINCIPAL_ARNS", "LEASE_RETENTION_DAYS", "LOG_LEVEL", "TENANT_ROLE_ARN_PATTERN", "TENANT_CACHE_SECONDS"]);
        var expected = read.Where(name => !NotSetByTheTemplate.ContainsKey(name) && !SetForOneFunction.ContainsKey(name)).Order(StringComparer.Ordinal).ToArray();

        var set = GlobalFunction.Map("Environment").Map("Variables").Entries().Select(e => e.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, set);
        foreach (var (logicalId, properties) in FunctionResources())
        {
            var own = SetForOneFunction.Where(v => v.Value == logicalId).Select(v => v.Key).Order(StringComparer.Ordinal).ToArray();
            var variables = properties.Get("Environment")?.Map("Variables").Entries().Select(e => e.Key).Order(StringComparer.Ordinal).ToArray() ?? [];
            Assert.Equal(own, variables);
        }
    }

    [Fact]
    public void The_admin_function_gets_the_tenant_role_pattern_the_vend_policy_is_written_with()
    {
        var variables = Template.Map("Resources").Map("AdminFunction").Map("Properties").Map("Environment").Map("Variables");

        Assert.Equal("!Ref TenantRoleArnPattern", Yaml.Render(variables.Get("TENANT_ROLE_ARN_PATTERN")!));
    }

    /// <summary>The template's AllowedPattern and the function's own check take and refuse the same values.</summary>
    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/tenant-*", true)]
    [InlineData("arn:aws:iam::*:role/tenants/*", true)]
    [InlineData("arn:aws:iam::123456789012:role/tenant-?", false)]
    [InlineData("arn:aws:iam::123456789012:user/tenant-*", false)]
    [InlineData("arn:aws:iam::12345:role/x", false)]
    [InlineData("arn:aws:iam::123456789012:role/a b", false)]
    public void The_role_pattern_parameter_takes_what_the_admin_function_takes(string value, bool taken)
    {
        var allowed = Template.Map("Parameters").Map("TenantRoleArnPattern").Text("AllowedPattern")!;
        var configuration = FunctionConfiguration.FromVariables(name => name switch
        {
            "TENANTS_TABLE" or "LEASES_TABLE" => "t",
            "AWS_REGION" => "us-east-1",
            "TENANT_ROLE_ARN_PATTERN" => value,
            _ => null,
        });

        Assert.Equal(taken, System.Text.RegularExpressions.Regex.IsMatch(value, allowed.Replace("$", "\\z", StringComparison.Ordinal)));
        Assert.Equal(taken, !configuration.IsRefused);
    }

    [Fact]
    public void The_template_never_mentions_the_insecure_loopback_switch()
    {
        Assert.DoesNotContain("INSECURE_LOOPBACK_ISSUERS", File.ReadAllText(RepositoryFiles.PathOf("template.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Variables_point_at_the_tables_and_parameters()
    {
        var variables = GlobalFunction.Map("Environment").Map("Variables");
        Assert.Equal("!Ref TenantsTable", Yaml.Render(variables.Get("TENANTS_TABLE")!));
        Assert.Equal("!Ref LeasesTable", Yaml.Render(variables.Get("LEASES_TABLE")!));
        Assert.Equal("!Ref LeaseRetentionDays", Yaml.Render(variables.Get("LEASE_RETENTION_DAYS")!));
        Assert.Equal("!Ref LogLevel", Yaml.Render(variables.Get("LOG_LEVEL")!));
        Assert.Contains("!Ref StsEndpoints", Yaml.Render(variables.Get("STS_ENDPOINTS")!), StringComparison.Ordinal);
        Assert.Contains("!Ref AdminPrincipalArns", Yaml.Render(variables.Get("ADMIN_PRINCIPAL_ARNS")!), StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_share_one_native_artifact_on_provided_al2023()
    {
        Assert.Equal("provided.al2023", GlobalFunction.Text("Runtime"));
        Assert.Equal(".", GlobalFunction.Text("CodeUri"));
        Assert.Equal("256", GlobalFunction.Text("MemorySize"));
        Assert.Equal("10", GlobalFunction.Text("Timeout"));
        Assert.Equal(["!Ref Architecture"], GlobalFunction.Get("Architectures").Strings());
        Assert.All(FunctionResources(), f => Assert.Null(f.Properties.Get("CodeUri")));
        Assert.All(FunctionResources(), f => Assert.Null(f.Properties.Get("Runtime")));
    }

    [Theory]
    [InlineData("TenantRoleArnPattern", "String", null)]
    [InlineData("AdminPrincipalArns", "String", null)]
    [InlineData("StsEndpoints", "String", null)]
    [InlineData("LeaseRetentionDays", "Number", null)]
    [InlineData("TenantCacheSeconds", "Number", null)]
    [InlineData("LogLevel", "String", "debug,info,warn,error")]
    [InlineData("AllowedOrigins", "CommaDelimitedList", null)]
    [InlineData("Architecture", "String", "x86_64,arm64")]
    public void Parameter_is_declared(string name, string type, string? allowedValues)
    {
        var parameter = Template.Map("Parameters").Map(name);
        Assert.Equal(type, parameter.Text("Type"));
        Assert.False(string.IsNullOrWhiteSpace(parameter.Text("Description")), $"{name} has no description.");
        if (allowedValues is not null)
        {
            Assert.Equal(allowedValues.Split(','), parameter.Get("AllowedValues").Strings());
        }
    }

    [Fact]
    public void Defaults_are_the_contracts_defaults()
    {
        var parameters = Template.Map("Parameters");
        Assert.Equal("400", parameters.Map("LeaseRetentionDays").Text("Default"));
        Assert.Equal("5", parameters.Map("TenantCacheSeconds").Text("Default"));
        Assert.Equal("info", parameters.Map("LogLevel").Text("Default"));
        Assert.Equal("x86_64", parameters.Map("Architecture").Text("Default"));
        Assert.Equal(string.Empty, parameters.Map("AdminPrincipalArns").Text("Default"));
        Assert.Null(parameters.Map("TenantRoleArnPattern").Get("Default"));
    }

    [Fact]
    public void The_api_has_cors_throttling_and_json_access_logs()
    {
        var api = Template.Map("Resources").Map("Api").Map("Properties");
        var cors = api.Map("CorsConfiguration");
        Assert.Equal("!Ref AllowedOrigins", Yaml.Render(cors.Get("AllowOrigins")!));
        Assert.Equal(["authorization", "content-type"], cors.Get("AllowHeaders").Strings());
        Assert.Equal(["GET", "POST", "PUT", "OPTIONS"], cors.Get("AllowMethods").Strings());
        Assert.NotNull(cors.Text("MaxAge"));

        var throttling = api.Map("DefaultRouteSettings");
        Assert.True(int.Parse(throttling.Text("ThrottlingBurstLimit")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(throttling.Text("ThrottlingRateLimit")!, System.Globalization.CultureInfo.InvariantCulture) > 0);

        var logs = api.Map("AccessLogSettings");
        var format = System.Text.Json.JsonDocument.Parse(logs.Text("Format")!);
        Assert.All(format.RootElement.EnumerateObject(), field => Assert.StartsWith("$context.", field.Value.GetString(), StringComparison.Ordinal));
        Assert.Contains(format.RootElement.EnumerateObject(), field => field.Value.GetString() == "$context.requestId");

        var destination = Yaml.Render(logs.Get("DestinationArn")!);
        Assert.StartsWith("!GetAtt ", destination, StringComparison.Ordinal);
        var group = Template.Map("Resources").Map(destination["!GetAtt ".Length..].Split('.')[0]);
        Assert.Equal("AWS::Logs::LogGroup", group.Text("Type"));
        Assert.NotNull(group.Map("Properties").Get("RetentionInDays"));
    }

    [Fact]
    public void Outputs_name_the_api_the_tables_and_the_role_tenant_roles_trust()
    {
        var outputs = Template.Map("Outputs");
        Assert.Equal(["ApiUrl", "BrokerIssuerUrl", "BrokerOidcProviderArn", "BrokerSigningKeyArn", "LeasesTableName", "TenantsTableName", "VendFunctionRoleArn"], outputs.Entries().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("!GetAtt VendFunctionRole.Arn", Yaml.Render(outputs.Map("VendFunctionRoleArn").Get("Value")!));
    }

    private static IEnumerable<(string LogicalId, YamlMappingNode Properties)> FunctionResources() =>
        Template.Map("Resources").Entries()
            .Where(e => e.Value.Text("Type") == "AWS::Serverless::Function")
            .Select(e => (e.Key, e.Value.Map("Properties")));
}
