using System.Text.RegularExpressions;
using System.Xml.Linq;
using CredentialVending.SystemTests.Template;

namespace CredentialVending.SystemTests.Docs;

/// <summary>
/// What the README's test section promises: `dotnet test` at the root runs every test project, and the fast suites it
/// names build none of the bootstrap (CredentialVending.Functions), so a developer can run them alone in seconds.
/// </summary>
public sealed partial class TestSuitesTests
{
    public static TheoryData<string> FastSuites => new()
    {
        "tests/CredentialVending.Tests",
        "tests/CredentialVending.Lambda.Tests",
        "tests/CredentialVending.Local.Tests",
    };

    [Theory]
    [MemberData(nameof(FastSuites))]
    public void A_fast_suite_references_no_project_that_builds_the_bootstrap_even_through_another(string suite)
    {
        var project = Path.GetFullPath(RepositoryFiles.PathOf(suite, Path.GetFileName(suite) + ".csproj"));

        var references = Closure(project);

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, r => Path.GetFileName(r) == "CredentialVending.Functions.csproj");
    }

    [Theory]
    [MemberData(nameof(FastSuites))]
    public void The_readme_names_each_fast_suite_with_its_own_test_command(string suite)
    {
        Assert.Contains($"dotnet test {suite}", File.ReadAllText(RepositoryFiles.PathOf("README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_test_project_is_in_the_solution_so_the_readme_test_command_runs_it()
    {
        var solution = File.ReadAllText(RepositoryFiles.PathOf("CredentialVending.sln"));
        var listed = ProjectLine().Matches(solution).Select(m => m.Groups["path"].Value.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);

        var projects = Directory.EnumerateFiles(RepositoryFiles.PathOf("tests"), "*.Tests.csproj", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RepositoryFiles.PathOf("tests"), "*.SystemTests.csproj", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(RepositoryFiles.Root, p).Replace('\\', '/'))
            .ToArray();

        Assert.Contains("tests/CredentialVending.SystemTests/CredentialVending.SystemTests.csproj", projects);
        Assert.All(projects, p => Assert.Contains(p, listed));
    }

    // Every project a project builds: its ProjectReferences and theirs.
    private static HashSet<string> Closure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            var folder = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                var path = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                if (seen.Add(path))
                {
                    pending.Push(path);
                }
            }
        }

        return seen;
    }

    [GeneratedRegex("""^Project\("\{[^}]+\}"\) = "[^"]+", "(?<path>[^"]+\.csproj)", """, RegexOptions.Multiline)]
    private static partial Regex ProjectLine();
}
