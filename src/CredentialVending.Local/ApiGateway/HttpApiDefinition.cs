using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.Local.ApiGateway;

/// <summary>A function of the template: its logical id and its <c>Handler</c> (the bootstrap's <c>_HANDLER</c>).</summary>
public sealed record TemplateFunction(string LogicalId, string Handler);

/// <summary>The API's CORS configuration as the template writes it; the origins come from the run's options.</summary>
public sealed record CorsConfiguration(IReadOnlyList<string> AllowHeaders, IReadOnlyList<string> AllowMethods, IReadOnlyList<string> ExposeHeaders, int? MaxAge, bool AllowCredentials);

/// <summary>
/// What the API Gateway emulator serves, read from template.yaml with YamlDotNet: every <c>HttpApi</c> event of every
/// function (method, path, authorizer), the API's CORS configuration, and the functions' memory and timeout from
/// <c>Globals</c>. Reading the template, not a copy of it, is what keeps the local API from drifting from the deployed one.
/// </summary>
public sealed class HttpApiDefinition
{
    private HttpApiDefinition(IReadOnlyList<HttpApiRoute> routes, IReadOnlyList<TemplateFunction> functions, CorsConfiguration? cors, int memorySizeMb, TimeSpan timeout, IReadOnlyDictionary<string, string> parameterDefaults)
    {
        ParameterDefaults = parameterDefaults;
        Routes = routes;
        Functions = functions;
        Cors = cors;
        MemorySizeMb = memorySizeMb;
        Timeout = timeout;
    }

    public IReadOnlyList<HttpApiRoute> Routes { get; }
    public IReadOnlyList<TemplateFunction> Functions { get; }
    public CorsConfiguration? Cors { get; }
    public int MemorySizeMb { get; }
    public TimeSpan Timeout { get; }

    /// <summary>The template's parameters that have a default, by name (LeaseRetentionDays: 400, ...).</summary>
    public IReadOnlyDictionary<string, string> ParameterDefaults { get; }

    public static HttpApiDefinition Load(string templatePath)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(templatePath))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var globals = Map(Map(root, "Globals"), "Function");
        var routes = new List<HttpApiRoute>();
        var functions = new List<TemplateFunction>();
        CorsConfiguration? cors = null;
        foreach (var (key, value) in Entries(Map(root, "Resources")))
        {
            var resource = (YamlMappingNode)value;
            var properties = Map(resource, "Properties");
            switch (Scalar(resource, "Type"))
            {
                case "AWS::Serverless::Function":
                    var function = new TemplateFunction(((YamlScalarNode)key).Value!, Scalar(properties, "Handler") ?? Scalar(globals, "Handler") ?? string.Empty);
                    functions.Add(function);
                    foreach (var (_, evt) in Entries(Map(properties, "Events")))
                    {
                        var e = (YamlMappingNode)evt;
                        var p = Map(e, "Properties");
                        if (Scalar(e, "Type") == "HttpApi" && Scalar(p, "Method") is { } method && Scalar(p, "Path") is { } path)
                        {
                            var iam = Scalar(Map(p, "Auth"), "Authorizer") == "AWS_IAM";
                            routes.Add(new HttpApiRoute(method.ToUpperInvariant(), path, function, iam));
                        }
                    }

                    break;
                case "AWS::Serverless::HttpApi" when Map(properties, "CorsConfiguration") is { } c:
                    cors = new CorsConfiguration(List(c, "AllowHeaders"), List(c, "AllowMethods"), List(c, "ExposeHeaders"),
                        int.TryParse(Scalar(c, "MaxAge"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var age) ? age : null,
                        Scalar(c, "AllowCredentials") == "true");
                    break;
            }
        }

        var memory = int.TryParse(Scalar(globals, "MemorySize"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mb) ? mb : 128;
        var timeout = int.TryParse(Scalar(globals, "Timeout"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? seconds : 3;
        var defaults = Entries(Map(root, "Parameters"))
            .Select(p => (Name: ((YamlScalarNode)p.Key).Value!, Default: Scalar(p.Value as YamlMappingNode, "Default")))
            .Where(p => p.Default is not null)
            .ToDictionary(p => p.Name, p => p.Default!, StringComparer.Ordinal);
        return new HttpApiDefinition(routes, functions, cors, memory, TimeSpan.FromSeconds(timeout), defaults);
    }

    /// <summary>The route API Gateway would pick: the same method (or ANY) and path, literal segments winning over parameters.</summary>
    public HttpApiRoute? Match(string method, string rawPath, out IReadOnlyDictionary<string, string> pathParameters)
    {
        pathParameters = new Dictionary<string, string>();
        HttpApiRoute? best = null;
        foreach (var route in Routes)
        {
            if ((route.Method == method || route.Method == "ANY") && route.TryMatch(rawPath, out var found)
                && (best is null || route.LiteralSegments > best.LiteralSegments))
            {
                (best, pathParameters) = (route, found);
            }
        }

        return best;
    }

    private static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Entries(YamlMappingNode? node) =>
        node?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>();

    private static YamlMappingNode? Map(YamlMappingNode? node, string name) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(name), out var value) ? value as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode? node, string name) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(name), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static string[] List(YamlMappingNode node, string name) =>
        node.Children.TryGetValue(new YamlScalarNode(name), out var value) && value is YamlSequenceNode sequence
            ? [.. sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty)]
            : [];
}
