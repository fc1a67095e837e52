using System.Diagnostics;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Template;

/// <summary>The repository's deployment files, found from the test's folder, and a way to run the tools that check them.</summary>
internal static class RepositoryFiles
{
    public static string Root => CredentialVending.Local.Hosting.RepositoryPaths.Root;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// template.yaml through YamlDotNet's representation model, which keeps CloudFormation's short forms
    /// (<c>!Ref</c>, <c>!GetAtt</c>, <c>!Sub</c>...) as tags on the nodes instead of refusing them.
    /// </summary>
    public static YamlMappingNode LoadTemplate()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(PathOf("template.yaml")));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"Cannot start {fileName} ({e.Message}): it must be on PATH for this test.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} did not finish within {timeout}:\n{output}");
        }

        // The asynchronous readers may still hold the last lines: the parameterless wait drains them.
        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
