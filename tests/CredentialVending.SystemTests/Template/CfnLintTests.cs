using CredentialVending.SystemTests.Support;

namespace CredentialVending.SystemTests.Template;

/// <summary>
/// cfn-lint (the Python one, with the SAM translator) over template.yaml: it expands the SAM resources first,
/// so it catches SAM mistakes as well as CloudFormation ones.
/// </summary>
public sealed class CfnLintTests
{
    /// <summary>Findings accepted on purpose, each with its reason, as "RULE: why". None so far.</summary>
    private static readonly Dictionary<string, string> Accepted = new(StringComparer.Ordinal);

    [Fact]
    public async Task Cfn_lint_finds_nothing_in_the_template()
    {
        var (exitCode, output) = await RepositoryFiles.RunAsync(await PythonTools.InterpreterAsync(), [.. PythonTools.CfnLint, "--format", "parseable", "template.yaml"], TimeSpan.FromMinutes(3));

        // parseable: file:line:column:endLine:endColumn:RULE:message, one finding a line.
        var findings = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !Accepted.Keys.Any(rule => line.Contains($":{rule}:", StringComparison.Ordinal)))
            .ToArray();
        Assert.True(findings.Length == 0, "cfn-lint template.yaml:\n" + string.Join('\n', findings));
        Assert.True(exitCode == 0 || Accepted.Count > 0, $"cfn-lint exited {exitCode}:\n{output}");
    }
}
