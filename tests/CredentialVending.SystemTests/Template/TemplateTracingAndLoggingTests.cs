using CredentialVending.Lambda.Context;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Template;

/// <summary>template.yaml's X-Ray tracing and Lambda logging controls, against what the bootstrap reads.</summary>
public sealed class TemplateTracingAndLoggingTests
{
    private static readonly YamlMappingNode Template = RepositoryFiles.LoadTemplate();

    private static YamlMappingNode GlobalFunction => Template.Map("Globals").Map("Function");

    [Fact]
    public void Every_function_is_traced_by_x_ray() =>
        Assert.Equal("Active", GlobalFunction.Text("Tracing"));

    [Fact]
    public void Every_function_logs_json_at_the_log_level_parameters_level()
    {
        var logging = GlobalFunction.Map("LoggingConfig");

        Assert.Equal("JSON", logging.Text("LogFormat"));
        Assert.Equal("!FindInMap [LambdaLogLevels, !Ref LogLevel, Level]", Yaml.Render(logging.Get("ApplicationLogLevel")!));
    }

    [Fact]
    public void Each_log_level_maps_to_lambdas_name_for_the_same_level()
    {
        var allowed = Template.Map("Parameters").Map("LogLevel").Get("AllowedValues").Strings();
        var levels = Template.Map("Mappings").Map("LambdaLogLevels");

        Assert.Equal(allowed.Order(), levels.Entries().Select(e => e.Key).Order());
        Assert.All(allowed, value =>
        {
            var lambda = levels.Map(value).Text("Level");
            Assert.Equal(lambda!.ToUpperInvariant(), lambda);
            Assert.Equal(JsonLineLogger.ParseLevel(value), JsonLineLogger.ParseLevel(lambda));
        });
    }
}
