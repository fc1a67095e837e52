namespace CredentialVending.Local.Lambda;

/// <summary>How to start one function's execution environment: which bootstrap, which handler, which variables.</summary>
public sealed record FunctionLaunch
{
    public required string BootstrapPath { get; init; }
    public required string Handler { get; init; }
    public string FunctionName { get; init; } = "credvend-local";
    public int MemorySizeMb { get; init; } = 256;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public string Region { get; init; } = "us-east-1";

    /// <summary>The function's own variables (the template's Environment), on top of the ones Lambda sets.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Variables of the parent's environment the function must not inherit (a developer's own AWS_PROFILE, say):
    /// Lambda starts a function with its own variables only.</summary>
    public IReadOnlyList<string> RemoveInherited { get; init; } = [];
}
