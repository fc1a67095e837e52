using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Docs;

/// <summary>docs/openapi.yaml read as YAML: the operations it documents, as route keys ("GET /admin/tenants").</summary>
internal static class OpenApiDocument
{
    public static IEnumerable<string> Operations(string path)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        var paths = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("paths")];
        return paths.Children.SelectMany(route => ((YamlMappingNode)route.Value).Children.Keys
            .Select(k => ((YamlScalarNode)k).Value!)
            .Where(k => k is "get" or "put" or "post" or "delete" or "patch")
            .Select(method => $"{method.ToUpperInvariant()} {((YamlScalarNode)route.Key).Value}"))
            .ToArray();
    }
}
