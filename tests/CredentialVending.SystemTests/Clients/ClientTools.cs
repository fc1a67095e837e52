using CredentialVending.Local.Hosting;

namespace CredentialVending.SystemTests.Clients;

/// <summary>
/// Installs and builds the clients the tests run, once per test run and only when missing, saying what it does: the
/// pinned npm packages of tests/clients/js (npm ci), the .NET client of tests/clients/dotnet-container (dotnet build),
/// and Debian's chromium (apt-get). Nothing is installed by hand, so a fresh machine and CI get the same.
/// </summary>
public static class ClientTools
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _dotnetClientBuilt;

    public static string Clients => Path.Combine(RepositoryPaths.Root, "tests", "clients");
    public static string CredentialProcess => Path.Combine(RepositoryPaths.Root, "examples", "credential-process");

    /// <summary>tests/clients/js with its node_modules, installed from package-lock.json when missing.</summary>
    public static Task<string> JsClientAsync(Action<string> log) => OnceAsync(async () =>
    {
        var folder = Path.Combine(Clients, "js");
        if (!File.Exists(Path.Combine(folder, "node_modules", "@aws-sdk", "credential-providers", "package.json")))
        {
            await ClientProcess.SetupAsync("Installing the AWS SDK for JavaScript pinned in tests/clients/js/package-lock.json", "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, log);
        }

        return folder;
    });

    /// <summary>The built tests/clients/dotnet-container (dotnet-container.dll), built once per test run so it is never stale.</summary>
    public static Task<string> DotnetClientAsync(Action<string> log) => OnceAsync(async () =>
    {
        var folder = Path.Combine(Clients, "dotnet-container");
        if (!_dotnetClientBuilt)
        {
            await ClientProcess.SetupAsync("Building the AWS SDK for .NET client", "dotnet", ["build", "--nologo", "-v", "q", "-c", "Debug"], folder, log);
            _dotnetClientBuilt = true;
        }

        return Path.Combine(folder, "bin", "Debug", "net10.0", "dotnet-container.dll");
    });

    /// <summary>Debian's chromium at /usr/bin/chromium, installed with apt-get when missing (a test tool's own browser download cannot work here).</summary>
    public static Task<string> ChromiumAsync(Action<string> log) => OnceAsync(async () =>
    {
        if (!File.Exists(ChromiumPath) || !await IsInstalledAsync("chromium"))
        {
            log($"{ChromiumPath} is missing or not fully installed: installing Debian's chromium package");

            // An install that was stopped half way (a killed test run) leaves packages unpacked but not configured,
            // and apt-get refuses to do anything until they are.
            await ClientProcess.SetupAsync("Finishing any interrupted package install", "dpkg", ["--configure", "-a"], "/", log);
            await ClientProcess.SetupAsync("apt-get update", "apt-get", ["update"], "/", log);
            await ClientProcess.SetupAsync("Installing chromium", "apt-get", ["install", "-y", "chromium"], "/", log);
        }

        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is still missing after apt-get install chromium");
        return ChromiumPath;
    });

    private static async Task<bool> IsInstalledAsync(string package)
    {
        var query = await ClientProcess.RunAsync("dpkg-query", ["-W", "-f=${Status}", package]);
        return query.ExitCode == 0 && query.Stdout.Trim() == "install ok installed";
    }

    // One setup at a time: two npm ci or apt-get runs in one folder would trip over each other's locks.
    private static async Task<string> OnceAsync(Func<Task<string>> setup)
    {
        await Gate.WaitAsync();
        try
        {
            return await setup();
        }
        finally
        {
            Gate.Release();
        }
    }
}
