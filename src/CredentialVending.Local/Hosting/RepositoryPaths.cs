namespace CredentialVending.Local.Hosting;

/// <summary>Where things are in a clone of the repository, found from wherever the local cloud runs.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The folder holding CredentialVending.sln.</summary>
    public static string Root => RootLazy.Value;

    public static string Tools => Path.Combine(Root, "tools");
    public static string Template => Path.Combine(Root, "template.yaml");
    public static string FunctionsProject => Path.Combine(Root, "src", "CredentialVending.Functions");

    /// <summary>The git-ignored folder where the run command keeps its data (dynalite's tables, the AOT bootstrap).</summary>
    public static string LocalData => Path.Combine(Root, ".local");

    /// <summary>The JIT build of the bootstrap, as `dotnet build` leaves it (an apphost named bootstrap).</summary>
    public static string JitBootstrap(string configuration = "Debug") =>
        Path.Combine(FunctionsProject, "bin", configuration, "net10.0", "bootstrap");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CredentialVending.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("The repository root (the folder with CredentialVending.sln) was not found above " + AppContext.BaseDirectory);
    }
}
