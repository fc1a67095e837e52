namespace CredentialVending.SystemTests.Template;

/// <summary>
/// SLOW: a real Native AOT publish through the Makefile's SAM target (a minute or more). The only such test;
/// leave it out with --filter "Category!=Slow".
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MakefileBuildTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cv-make-").FullName;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Make_build_vend_function_leaves_an_executable_bootstrap()
    {
        var artifacts = Path.Combine(_folder, "artifacts");

        // BUILD_ROOT in the temporary folder: the publish starts clean and never races another build of the tree.
        var (exitCode, output) = await RepositoryFiles.RunAsync(
            "make",
            ["build-VendFunction", $"ARTIFACTS_DIR={artifacts}", $"BUILD_ROOT={Path.Combine(_folder, "build")}"],
            TimeSpan.FromMinutes(10));

        Assert.True(exitCode == 0, $"make build-VendFunction exited {exitCode}:\n{output}");
        var bootstrap = Path.Combine(artifacts, "bootstrap");
        Assert.True(File.Exists(bootstrap), $"No {bootstrap}:\n{output}");
        Assert.True(File.GetUnixFileMode(bootstrap).HasFlag(UnixFileMode.UserExecute), "bootstrap is not executable.");
        var magic = new byte[4];
        using (var file = File.OpenRead(bootstrap))
        {
            file.ReadExactly(magic);
        }

        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, magic);
        Assert.Equal(["bootstrap"], Directory.GetFiles(artifacts).Select(Path.GetFileName));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
