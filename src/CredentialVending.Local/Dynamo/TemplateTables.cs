using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.Local.Dynamo;

/// <summary>
/// Creates the DynamoDB tables exactly as template.yaml defines them (keys, attribute types, global secondary
/// indexes), so the local cloud cannot drift from what `sam deploy` creates. TTL is not set: dynalite lacks it.
/// </summary>
public static class TemplateTables
{
    /// <summary>Creates every AWS::DynamoDB::Table of the template that does not exist yet; answers logical id -> table name.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> CreateAsync(IAmazonDynamoDB dynamo, string templatePath, string namePrefix, CancellationToken cancellationToken = default)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(templatePath))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var resources = (YamlMappingNode)root.Children[new YamlScalarNode("Resources")];
        var existing = (await dynamo.ListTablesAsync(new ListTablesRequest(), cancellationToken).ConfigureAwait(false)).TableNames ?? [];
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in resources.Children)
        {
            var resource = (YamlMappingNode)value;
            if (Scalar(resource, "Type") != "AWS::DynamoDB::Table")
            {
                continue;
            }

            var logicalId = ((YamlScalarNode)key).Value!;
            var name = namePrefix + logicalId;
            names[logicalId] = name;
            if (existing.Contains(name))
            {
                continue;
            }

            var properties = (YamlMappingNode)resource.Children[new YamlScalarNode("Properties")];
            var request = new CreateTableRequest
            {
                TableName = name,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions = Sequence(properties, "AttributeDefinitions")
                    .Select(a => new AttributeDefinition(Scalar(a, "AttributeName"), new ScalarAttributeType(Scalar(a, "AttributeType")))).ToList(),
                KeySchema = Keys(properties),
            };
            var indexes = Sequence(properties, "GlobalSecondaryIndexes").Select(index => new GlobalSecondaryIndex
            {
                IndexName = Scalar(index, "IndexName"),
                KeySchema = Keys(index),
                Projection = new Projection { ProjectionType = new ProjectionType(Scalar((YamlMappingNode)index.Children[new YamlScalarNode("Projection")], "ProjectionType") ?? "ALL") },
            }).ToList();
            if (indexes.Count > 0)
            {
                request.GlobalSecondaryIndexes = indexes;
            }

            await dynamo.CreateTableAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return names;
    }

    /// <summary>The logical id a Globals environment variable names with !Ref (TENANTS_TABLE: !Ref TenantsTable).</summary>
    public static string? ReferencedBy(string templatePath, string variable)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(templatePath))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return Find(root, "Globals", "Function", "Environment", "Variables", variable) is YamlScalarNode node ? node.Value : null;
    }

    private static YamlNode? Find(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var step in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(step), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    private static List<KeySchemaElement> Keys(YamlMappingNode node) =>
        Sequence(node, "KeySchema").Select(k => new KeySchemaElement(Scalar(k, "AttributeName"), new KeyType(Scalar(k, "KeyType")))).ToList();

    private static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode node, string name) =>
        node.Children.TryGetValue(new YamlScalarNode(name), out var value) && value is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlMappingNode>()
            : [];

    private static string? Scalar(YamlMappingNode node, string name) =>
        node.Children.TryGetValue(new YamlScalarNode(name), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
