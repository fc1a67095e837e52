using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Support;

/// <summary>How the tests judge whether an interpreter already has the Python tools of tests/requirements.txt.</summary>
public sealed class PythonRequirementsTests
{
    /// <summary>Installed distributions, one a line: "name version" then "| requirement" for each Requires-Dist.</summary>
    private const string Moto = """
        moto 5.2.1 | boto3>=1.9.201 | flask!=2.2.0,!=2.2.1; extra == "server" | docker>=3.0.0; extra == "docker"
        boto3 1.43.11 | botocore<1.44.0,>=1.43.11 | jmespath<2.0.0,>=0.7.1; python_version < "3.0"
        botocore 1.43.11
        Flask 3.1.3 | Werkzeug>=3.1.0
        werkzeug 3.1.8
        """;

    [Theory]
    [InlineData("moto[server]==5.2.1", Moto, "")]
    [InlineData("moto==5.2.1", "moto 5.2.1 | flask; extra == \"server\"", "")]
    [InlineData("moto[server]==5.2.1", "moto 5.2.1 | flask; extra == \"server\"", "moto[server]==5.2.1: needs flask, not installed")]
    [InlineData("moto[server]==5.2.1", "moto 5.2.1 | boto3 | flask; extra == 'server'\nflask 3.1.3\nboto3 1.43.11 | botocore", "moto[server]==5.2.1: needs botocore, not installed")]
    [InlineData("moto[server]==5.2.1", "boto3 1.43.11", "moto[server]==5.2.1: not installed")]
    [InlineData("cfn-lint==1.51.0", "cfn-lint 1.40.2", "cfn-lint==1.51.0: 1.40.2 installed")]
    [InlineData("cfn-lint==1.51.0", "cfn_lint 1.51", "")]
    [InlineData("PyYAML==6.0.3", "pyyaml 6.0.3", "")]
    [InlineData("aws-sam-translator==1.110.0", "aws.sam_translator 1.110.0", "")]
    [InlineData("jsonschema==4.26.0", "jsonschema 4.26.0rc1", "jsonschema==4.26.0: 4.26.0rc1 installed")]
    [InlineData("jsonschema==4.26.0", "jsonschema 4.26.0 | rpds-py>=0.7.1; sys_platform == \"win32\"", "")]
    public void An_interpreter_lacks_a_pin_that_is_absent_at_another_version_or_missing_what_it_needs(string requirement, string installed, string lacking)
    {
        var missing = PythonRequirements.Missing(PythonRequirements.Parse(requirement), Installed(installed));

        Assert.Equal(lacking.Length == 0 ? [] : [lacking], missing);
    }

    [Theory]
    [InlineData("moto>=5.2.1")]
    [InlineData("moto")]
    [InlineData("-e .")]
    [InlineData("git+https://example.com/moto.git")]
    [InlineData("moto[server]==5.2.1; python_version >= \"3.9\"")]
    public void A_line_that_is_not_an_exact_pin_is_refused_by_name(string line)
    {
        var refused = Assert.Throws<FormatException>(() => PythonRequirements.Parse($"# tools\n{line}\n"));

        Assert.Contains(line, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_requirements_file_pins_every_python_tool_the_tests_run()
    {
        var pinned = PythonRequirements.Load(Path.Combine(RepositoryPaths.Root, "tests", "requirements.txt"));

        Assert.Equal(pinned.Count, pinned.Select(p => PythonRequirements.Normalize(p.Name)).Distinct().Count());
        Assert.Equal(["server"], Assert.Single(pinned, p => p.Name == "moto").Extras);
        Assert.Equal("1.51.0", Assert.Single(pinned, p => p.Name == "cfn-lint").Version);
        Assert.Equal("5.2.1", Assert.Single(pinned, p => p.Name == "moto").Version);
        Assert.Equal("0.9.0", Assert.Single(pinned, p => p.Name == "openapi-spec-validator").Version);
        Assert.Subset(
            pinned.Select(p => PythonRequirements.Normalize(p.Name)).ToHashSet(),
            new HashSet<string> { "aws-sam-translator", "jsonschema", "referencing", "pyyaml", "awscli", "boto3" });
    }

    private static InstalledDistribution[] Installed(string lines) =>
        [.. lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            var nameAndVersion = parts[0].Split(' ');
            return new InstalledDistribution(nameAndVersion[0], nameAndVersion[1], parts[1..]);
        })];
}
