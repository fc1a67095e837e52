using System.Text.Json;
using System.Text.RegularExpressions;
using CredentialVending.Common;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Template;

/// <summary>
/// template.yaml's alarms and dashboard against the code: every metric of the service's namespace they read is one the
/// functions emit (<see cref="MetricNames"/>, not a copy), with the dimensions it is emitted with, and the alarms the
/// README's "Operating it" explains are all there, each notifying AlarmTopicArn only when one is given.
/// </summary>
public sealed partial class TemplateAlarmsTests
{
    private static readonly YamlMappingNode Template = RepositoryFiles.LoadTemplate();

    private static IEnumerable<(string Id, YamlNode Properties)> ResourcesOf(string type) =>
        Template.Map("Resources").Entries().Where(r => r.Value.Text("Type") == type).Select(r => (r.Key, r.Value.Get("Properties")!));

    /// <summary>Every metric an alarm reads, directly or through metric math, with its dimensions as the template writes them.</summary>
    private static IEnumerable<(string Alarm, string Namespace, string Name, Dictionary<string, string> Dimensions)> AlarmMetrics() =>
        ResourcesOf("AWS::CloudWatch::Alarm").SelectMany(alarm =>
        {
            var metrics = alarm.Properties.Get("Metrics") is YamlSequenceNode math
                ? math.Children.Select(m => m.Get("MetricStat")?.Get("Metric")).OfType<YamlNode>()
                : [alarm.Properties];
            return metrics.Select(m => (alarm.Id, m.Text("Namespace")!, m.Text("MetricName")!,
                m.Get("Dimensions") is YamlSequenceNode dimensions
                    ? dimensions.Children.ToDictionary(d => d.Text("Name")!, d => Yaml.Render(d.Get("Value")!), StringComparer.Ordinal)
                    : new Dictionary<string, string>(StringComparer.Ordinal)));
        });

    [Fact]
    public void Every_alarm_on_the_services_namespace_reads_a_metric_the_functions_emit_with_its_dimensions()
    {
        var codes = typeof(Codes).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet(StringComparer.Ordinal);
        var own = AlarmMetrics().Where(m => m.Namespace == MetricNames.Namespace).ToArray();

        Assert.NotEmpty(own);
        foreach (var (alarm, _, name, dimensions) in own)
        {
            Assert.True(MetricNames.All.Contains(name), $"{alarm}: {name} is not a metric the functions emit");
            var expected = name == MetricNames.Refused ? new[] { MetricNames.FunctionDimension, MetricNames.CodeDimension } : [MetricNames.FunctionDimension];
            Assert.Equal(expected.Order(StringComparer.Ordinal), dimensions.Keys.Order(StringComparer.Ordinal));
            Assert.Contains(dimensions[MetricNames.FunctionDimension], RouteTable.Functions);
            if (dimensions.TryGetValue(MetricNames.CodeDimension, out var code))
            {
                Assert.Contains(code, codes);
            }
        }
    }

    [Fact]
    public void The_alarms_cover_ledger_failures_sustained_failover_unavailable_answers_5xx_throttled_tables_and_every_functions_errors_and_throttles()
    {
        var read = AlarmMetrics().Select(m => $"{m.Namespace} {m.Name} {string.Join(",", m.Dimensions.Values.Order(StringComparer.Ordinal))}").ToHashSet(StringComparer.Ordinal);
        string[] expected =
        [
            $"{MetricNames.Namespace} {MetricNames.LedgerWriteFailed} vend",
            $"{MetricNames.Namespace} {MetricNames.StsFailover} vend",
            $"{MetricNames.Namespace} {MetricNames.Refused} {Codes.Unavailable},vend",
            "AWS/ApiGateway 5xx !Ref Api",
            "AWS/ApiGateway Count !Ref Api",
            "AWS/DynamoDB ThrottledRequests !Ref TenantsTable,GetItem",
            "AWS/DynamoDB ThrottledRequests !Ref LeasesTable,PutItem",
            .. ResourcesOf("AWS::Serverless::Function").SelectMany(f => new[] { $"AWS/Lambda Errors !Ref {f.Id}", $"AWS/Lambda Throttles !Ref {f.Id}" }),
        ];

        Assert.All(expected, e => Assert.Contains(e, read));
    }

    [Fact]
    public void Every_alarm_notifies_the_alarm_topic_only_when_one_is_given()
    {
        const string topic = "!If [HasAlarmTopic, [!Ref AlarmTopicArn], !Ref AWS::NoValue]";

        Assert.Equal("!Not [!Equals [!Ref AlarmTopicArn, ]]", Yaml.Render(Template.Map("Conditions").Get("HasAlarmTopic")!));
        Assert.All(ResourcesOf("AWS::CloudWatch::Alarm"), alarm =>
        {
            Assert.Equal(topic, Yaml.Render(alarm.Properties.Get("AlarmActions")!));
            Assert.Equal(topic, Yaml.Render(alarm.Properties.Get("OKActions")!));
        });
    }

    [Fact]
    public void The_dashboards_widgets_read_only_metrics_the_functions_emit_and_rank_the_refusal_codes()
    {
        var (_, dashboard) = Assert.Single(ResourcesOf("AWS::CloudWatch::Dashboard"));
        var body = Substitution().Replace(Yaml.Render(dashboard.Get("DashboardBody")!)["!Sub ".Length..], "x");
        var widgets = JsonDocument.Parse(body).RootElement.GetProperty("widgets").EnumerateArray().ToArray();
        var rows = widgets.Where(w => w.GetProperty("type").GetString() == "metric")
            .SelectMany(w => w.GetProperty("properties").GetProperty("metrics").EnumerateArray()).ToArray();
        var own = rows.Where(r => r[0].ValueKind == JsonValueKind.String && r[0].GetString() == MetricNames.Namespace).Select(r => r[1].GetString()!).ToArray();
        var expressions = rows.Select(r => r[0]).Where(e => e.ValueKind == JsonValueKind.Object).Select(e => e.GetProperty("expression").GetString()!).ToArray();
        var query = widgets.Single(w => w.GetProperty("type").GetString() == "log").GetProperty("properties").GetProperty("query").GetString()!;

        Assert.Contains(MetricNames.CredentialsIssued, own);
        Assert.All(own, name => Assert.Contains(name, MetricNames.All));
        Assert.Contains(expressions, e => e.StartsWith("SORT(SEARCH('{" + $"{MetricNames.Namespace},{MetricNames.FunctionDimension},{MetricNames.CodeDimension}" + $"}} MetricName=\"{MetricNames.Refused}\"", StringComparison.Ordinal));
        Assert.Contains($"ispresent({MetricNames.Refused})", query, StringComparison.Ordinal);
        Assert.Contains($"by {MetricNames.FunctionDimension}, {MetricNames.CodeDimension}, tenantId", query, StringComparison.Ordinal);
    }

    // ${Name} in the !Sub body: a value, never JSON syntax.
    [GeneratedRegex(@"\$\{[A-Za-z:]+\}")]
    private static partial Regex Substitution();
}
