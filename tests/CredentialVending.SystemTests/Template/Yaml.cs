using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Template;

/// <summary>Small readers over the YAML representation model, and one text form for CloudFormation values.</summary>
internal static class Yaml
{
    public static YamlMappingNode Map(this YamlNode node, string key) => (YamlMappingNode)node.Get(key)!;

    public static YamlSequenceNode Seq(this YamlNode node, string key) => (YamlSequenceNode)node.Get(key)!;

    public static string? Text(this YamlNode node, string key) => node.Get(key) is YamlScalarNode scalar ? scalar.Value : null;

    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode node) =>
        ((YamlMappingNode)node).Children.Select(entry => (((YamlScalarNode)entry.Key).Value!, entry.Value));

    /// <summary>A scalar or a list of scalars as strings (a single scalar is a list of one, as in IAM and CloudFormation).</summary>
    public static IReadOnlyList<string> Strings(this YamlNode? node) => node switch
    {
        null => [],
        YamlSequenceNode sequence => sequence.Children.Select(Render).ToArray(),
        _ => [Render(node)],
    };

    /// <summary>
    /// One line for a value: <c>x</c>, <c>!Ref Name</c>, <c>!GetAtt Table.Arn</c>, <c>!If [a, b, c]</c>,
    /// so that tests compare what the template says, short forms included.
    /// </summary>
    public static string Render(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? string.Empty : node.Tag.Value + " ";
        return node switch
        {
            YamlScalarNode scalar => tag + scalar.Value,
            YamlSequenceNode sequence => tag + "[" + string.Join(", ", sequence.Children.Select(Render)) + "]",
            YamlMappingNode mapping => tag + "{" + string.Join(", ", mapping.Children.Select(e => Render(e.Key) + ": " + Render(e.Value))) + "}",
            _ => tag + node,
        };
    }
}
