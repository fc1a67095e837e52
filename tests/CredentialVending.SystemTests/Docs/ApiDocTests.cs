using System.Reflection;
using System.Text.RegularExpressions;
using CredentialVending.Common;
using CredentialVending.Functions.Http;
using CredentialVending.Local.ApiGateway;
using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Docs;

/// <summary>
/// docs/api.md, the contract as the repository implements it, against the code: its routes are the template's and
/// openapi.yaml's, its error codes are the code's with the statuses the code answers, and what it lists as not
/// served yet is not in the template.
/// </summary>
public sealed partial class ApiDocTests
{
    private static readonly string Text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "api.md"));
    private static readonly IReadOnlyList<HttpApiRoute> TemplateRoutes = HttpApiDefinition.Load(RepositoryPaths.Template).Routes;

    /// <summary>Everything before "Not served yet": what the document says the service does.</summary>
    private static string Served => Text[..Text.IndexOf("\n## Not served yet", StringComparison.Ordinal)];

    [Fact]
    public void The_routes_table_names_exactly_the_templates_routes_and_openapis_operations()
    {
        var documented = Rows("Routes").Select(r => Unquote(r[0])).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(TemplateRoutes.Select(r => r.RouteKey).Order(StringComparer.Ordinal), documented);
        Assert.Equal(OpenApiDocument.Operations(Path.Combine(RepositoryPaths.Root, "docs", "openapi.yaml")).Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void Each_route_names_the_function_and_the_auth_the_template_gives_it()
    {
        var byKey = TemplateRoutes.ToDictionary(r => r.RouteKey, StringComparer.Ordinal);

        Assert.All(Rows("Routes"), row =>
        {
            var route = byKey[Unquote(row[0])];
            Assert.Equal(route.Function.Handler, Unquote(row[1]));
            Assert.True(route.IamAuthorizer == row[3].Contains("AWS_IAM", StringComparison.Ordinal), $"{route.RouteKey}: the auth column says '{row[3]}'");
        });
    }

    [Fact]
    public void The_errors_table_lists_every_code_the_code_defines_once_and_no_other()
    {
        var documented = Rows("Errors").SelectMany(r => Quoted().Matches(r[1]).Select(m => m.Groups[1].Value)).ToArray();

        Assert.Equal(documented.Distinct(StringComparer.Ordinal).Count(), documented.Length);
        Assert.Equal(CodesOfTheCode().Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_status_and_code_the_document_names_is_what_the_code_answers_for_that_code()
    {
        var table = Rows("Errors").SelectMany(r => Quoted().Matches(r[1]).Select(m => (Status: int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture), Code: m.Groups[1].Value)));
        var prose = StatusAndCode().Matches(Served).Select(m => (Status: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Code: m.Groups[2].Value));
        var codes = CodesOfTheCode().ToHashSet(StringComparer.Ordinal);

        Assert.All(table.Concat(prose), named =>
        {
            Assert.True(codes.Contains(named.Code), $"docs/api.md names {named.Status} `{named.Code}`, a code src/CredentialVending/Common/Refusal.cs does not define");
            Assert.Equal((named.Code, ProblemCodes.Describe(named.Code).Status), (named.Code, named.Status));
        });
    }

    [Fact]
    public void No_route_listed_as_not_served_yet_is_in_the_template()
    {
        var notServed = Text[Text.IndexOf("\n## Not served yet", StringComparison.Ordinal)..];
        var listed = RouteInText().Matches(notServed).Select(m => m.Groups[1].Value.Replace("`", string.Empty, StringComparison.Ordinal)).ToArray();
        var paths = TemplateRoutes.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);

        Assert.All(listed, path => Assert.DoesNotContain(path, paths));
    }

    /// <summary>The cells of a section's table, header and separator left out.</summary>
    private static IReadOnlyList<string[]> Rows(string section)
    {
        var start = Text.IndexOf($"\n## {section}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/api.md has no section '## {section}'");
        var end = Text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var rows = Text[start..(end < 0 ? Text.Length : end)].Split('\n')
            .Where(line => line.StartsWith('|'))
            .Select(line => line.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())
            .Skip(2)
            .ToArray();
        Assert.NotEmpty(rows);
        return rows;
    }

    private static string Unquote(string cell) => cell.Trim().Trim('`');

    private static IEnumerable<string> CodesOfTheCode() =>
        typeof(Codes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b([1-5][0-9]{2}) `([a-z_]+)`")]
    private static partial Regex StatusAndCode();

    [GeneratedRegex(@"`?(/[A-Za-z0-9/{}._-]+)`")]
    private static partial Regex RouteInText();
}
