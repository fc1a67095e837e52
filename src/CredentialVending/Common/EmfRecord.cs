using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CredentialVending.Common;

/// <summary>
/// One invocation's <see cref="InvocationMetrics"/> as a CloudWatch Embedded Metric Format record: <c>_aws</c> with the
/// <c>Timestamp</c> (ms since the epoch) and the <c>CloudWatchMetrics</c> directives (namespace, dimension sets, metric
/// names with units), then each dimension and metric value as a top-level member, then the properties Logs Insights
/// can filter on without making a metric of them (docs/api.md "Metrics"). A Utf8JsonWriter, not a serializer: the
/// shape depends on what was measured, and the bootstrap is AOT.
/// </summary>
public static class EmfRecord
{
    private const string Count = "Count";
    private const string Milliseconds = "Milliseconds";

    /// <param name="level">The record's <c>level</c> (<see cref="LevelFor"/>): Lambda's log filter keeps a JSON line by it.</param>
    public static string Write(InvocationMetrics metrics, string function, string? requestId, int statusCode, DateTimeOffset at, string level = "INFO")
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var latencies = metrics.StsLatencies;
        var code = metrics.RefusalCode;
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", at.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            var byFunction = MetricNames.Counters.Select(name => (name, Count));
            Directive(json, [MetricNames.FunctionDimension], latencies.Count == 0 ? byFunction : byFunction.Append((MetricNames.StsLatency, Milliseconds)));
            if (code is not null)
            {
                Directive(json, [MetricNames.FunctionDimension, MetricNames.CodeDimension], [(MetricNames.Refused, Count)]);
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteString(MetricNames.FunctionDimension, function);
            foreach (var name in MetricNames.Counters)
            {
                json.WriteNumber(name, metrics.CountOf(name));
            }

            if (code is not null)
            {
                json.WriteString(MetricNames.CodeDimension, code);
                json.WriteNumber(MetricNames.Refused, 1);
            }

            if (latencies.Count > 0)
            {
                json.WriteStartArray(MetricNames.StsLatency);
                foreach (var ms in latencies)
                {
                    json.WriteNumberValue(ms);
                }

                json.WriteEndArray();
            }

            // Properties: searchable in Logs Insights, no metric of their own (a thousand tenants are not a thousand metrics).
            Property(json, "requestId", requestId);
            Property(json, "tenantId", metrics.TenantId);
            Property(json, "stsRegion", metrics.StsRegion);
            json.WriteNumber("statusCode", statusCode);
            json.WriteString("level", level);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The level a record must carry to pass Lambda's application log level (<c>AWS_LAMBDA_LOG_LEVEL</c>): its filter gives
    /// a line without one INFO and drops it at WARN and above, and a level under the minimum is dropped too. So the
    /// record takes the minimum itself, never less than INFO; to EMF it is one more property, searchable and harmless.
    /// </summary>
    public static string LevelFor(string? applicationLogLevel) => applicationLogLevel?.Trim().ToUpperInvariant() switch
    {
        "WARN" or "WARNING" => "WARN",
        "ERROR" => "ERROR",
        "FATAL" => "FATAL",
        _ => "INFO",
    };

    private static void Directive(Utf8JsonWriter json, string[] dimensions, IEnumerable<(string Name, string Unit)> metrics)
    {
        json.WriteStartObject();
        json.WriteString("Namespace", MetricNames.Namespace);
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        foreach (var dimension in dimensions)
        {
            json.WriteStringValue(dimension);
        }

        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        foreach (var (name, unit) in metrics)
        {
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("Unit", unit);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Property(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
