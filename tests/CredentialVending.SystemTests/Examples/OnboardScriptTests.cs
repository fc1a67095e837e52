using CredentialVending.SystemTests.Template;

namespace CredentialVending.SystemTests.Examples;

/// <summary>examples/onboarding/onboard.sh: a script a pipeline can run, that says how to use it and refuses to guess.</summary>
public sealed class OnboardScriptTests
{
    private const string Script = "examples/onboarding/onboard.sh";

    [Fact]
    public async Task The_script_is_valid_bash_with_strict_mode()
    {
        var (exitCode, output) = await RepositoryFiles.RunAsync("bash", ["-n", Script], TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, output);
        Assert.Contains("set -euo pipefail", File.ReadAllText(RepositoryFiles.PathOf(Script)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_no_arguments_is_a_usage_error()
    {
        var help = await RepositoryFiles.RunAsync("bash", [Script, "-h"], TimeSpan.FromSeconds(30));
        var none = await RepositoryFiles.RunAsync("bash", [Script], TimeSpan.FromSeconds(30));

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage: onboard.sh", help.Output, StringComparison.Ordinal);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("Usage: onboard.sh", none.Output, StringComparison.Ordinal);
    }
}
