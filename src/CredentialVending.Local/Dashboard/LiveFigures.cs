using System.Globalization;
using System.Text.Json;

namespace CredentialVending.Local.Dashboard;

/// <summary>
/// The figures of this run, read from what the functions print, as CloudWatch would read them: each EMF record's
/// metrics (by its own <c>_aws.CloudWatchMetrics</c> directives, so no metric name is known here) and each Lambda
/// <c>REPORT</c> line that carries an <c>Init Duration</c> (a cold start). Fed every line the functions print.
/// </summary>
public sealed class LiveFigures
{
    private const int Samples = 500;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, double>> _byFunction = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, double>> _byOtherDimension = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<long, double>> _perMinute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<double>> _samples = new(StringComparer.Ordinal);
    private readonly List<(string Function, double InitMs, DateTimeOffset At)> _coldStarts = [];
    private readonly TimeProvider _time;
    private long _records;

    public LiveFigures(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>One line a function printed; anything that is neither an EMF record nor a cold REPORT is passed over.</summary>
    public void Observe(string function, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.StartsWith("REPORT ", StringComparison.Ordinal))
        {
            ObserveReport(function, line);
        }
        else if (line.StartsWith('{') && line.Contains("\"_aws\"", StringComparison.Ordinal))
        {
            try
            {
                using var record = JsonDocument.Parse(line);
                ObserveRecord(record.RootElement);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                // A line that only looks like a record: the dashboard shows what it can read.
            }
        }
    }

    private void ObserveReport(string function, string line)
    {
        const string init = "Init Duration: ";
        var at = line.IndexOf(init, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        var value = line[(at + init.Length)..].Split(' ')[0];
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
        {
            lock (_gate)
            {
                _coldStarts.Add((function, ms, _time.GetUtcNow()));
            }
        }
    }

    private void ObserveRecord(JsonElement root)
    {
        // Read whole before anything is added: a record that cannot be read moves no figure.
        var aws = root.GetProperty("_aws");
        var minute = aws.GetProperty("Timestamp").GetInt64() / 60_000;
        var read = new List<(string Name, string Function, string? Other, double[] Values, bool Timed)>();
        foreach (var directive in aws.GetProperty("CloudWatchMetrics").EnumerateArray())
        {
            var dimensions = directive.GetProperty("Dimensions").EnumerateArray().SelectMany(set => set.EnumerateArray()).Select(d => d.GetString()!).ToArray();
            var function = dimensions.Contains("Function") ? root.GetProperty("Function").GetString() ?? "?" : "?";
            var other = dimensions.Where(d => d != "Function").Select(d => root.GetProperty(d).GetString() ?? "?").ToArray();
            foreach (var metric in directive.GetProperty("Metrics").EnumerateArray())
            {
                var name = metric.GetProperty("Name").GetString()!;
                var timed = metric.TryGetProperty("Unit", out var unit) && unit.GetString() == "Milliseconds";
                read.Add((name, function, other.Length == 0 ? null : string.Join('/', other), Values(root.GetProperty(name)), timed));
            }
        }

        lock (_gate)
        {
            _records++;
            foreach (var (name, function, other, values, timed) in read)
            {
                Add(name, function, other, minute, values, timed);
            }
        }
    }

    private void Add(string name, string function, string? other, long minute, double[] values, bool timed)
    {
        var sum = values.Sum();
        _totals[name] = _totals.GetValueOrDefault(name) + sum;
        Bump(_byFunction, name, function, sum);
        if (other is not null)
        {
            Bump(_byOtherDimension, name, other, sum);
        }

        var minutes = _perMinute.TryGetValue(name, out var m) ? m : _perMinute[name] = [];
        minutes[minute] = minutes.GetValueOrDefault(minute) + sum;
        if (timed)
        {
            var samples = _samples.TryGetValue(name, out var s) ? s : _samples[name] = [];
            samples.AddRange(values);
            if (samples.Count > Samples)
            {
                samples.RemoveRange(0, samples.Count - Samples);
            }
        }
    }

    private static void Bump(Dictionary<string, Dictionary<string, double>> into, string name, string key, double by)
    {
        var map = into.TryGetValue(name, out var existing) ? existing : into[name] = new(StringComparer.Ordinal);
        map[key] = map.GetValueOrDefault(key) + by;
    }

    private static double[] Values(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? [.. value.EnumerateArray().Select(v => v.GetDouble())]
        : [value.GetDouble()];

    /// <summary>The figures as the dashboard page reads them.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        lock (_gate)
        {
            json.WriteStartObject();
            json.WriteNumber("records", _records);
            json.WriteString("now", _time.GetUtcNow());
            Map(json, "totals", _totals);
            Maps(json, "byFunction", _byFunction);
            Maps(json, "byDimension", _byOtherDimension);
            json.WriteStartObject("perMinute");
            foreach (var (name, minutes) in _perMinute)
            {
                json.WriteStartArray(name);
                foreach (var (minute, value) in minutes.TakeLast(15))
                {
                    json.WriteStartObject();
                    json.WriteString("minute", DateTimeOffset.FromUnixTimeMilliseconds(minute * 60_000));
                    json.WriteNumber("value", value);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteStartObject("timings");
            foreach (var (name, samples) in _samples)
            {
                var sorted = samples.Order().ToArray();
                json.WriteStartObject(name);
                json.WriteNumber("count", samples.Count);
                json.WriteNumber("last", samples[^1]);
                json.WriteNumber("p50", sorted[(sorted.Length - 1) / 2]);
                json.WriteNumber("p90", sorted[(int)Math.Ceiling(0.9 * sorted.Length) - 1]);
                json.WriteNumber("max", sorted[^1]);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartArray("coldStarts");
            foreach (var (function, initMs, at) in _coldStarts.TakeLast(50))
            {
                json.WriteStartObject();
                json.WriteString("function", function);
                json.WriteNumber("initMs", initMs);
                json.WriteString("at", at);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("coldStartCount", _coldStarts.Count);
            json.WriteEndObject();
        }
    }

    private static void Map(Utf8JsonWriter json, string name, Dictionary<string, double> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            json.WriteNumber(key, value);
        }

        json.WriteEndObject();
    }

    private static void Maps(Utf8JsonWriter json, string name, Dictionary<string, Dictionary<string, double>> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, map) in values)
        {
            Map(json, key, map);
        }

        json.WriteEndObject();
    }
}
