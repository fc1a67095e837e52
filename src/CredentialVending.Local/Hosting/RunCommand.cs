using System.ComponentModel;
using System.Diagnostics;

namespace CredentialVending.Local.Hosting;

/// <summary>
/// The run command: checks what it needs, builds the bootstrap, starts the local cloud, onboards the demo tenant,
/// prints the ready screen, and on SIGINT or SIGTERM stops every child process and keeps the data.
/// </summary>
public static class RunCommand
{
    /// <summary>Exit codes: 0 stopped cleanly, 1 could not start, 130 interrupted before it was ready.</summary>
    public static async Task<int> RunAsync(RunOptions options, TextWriter output, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        void Progress(string line) => output.WriteLine("• " + line);
        output.WriteLine("Credential vending: the local cloud (development only)");
        if (Problem(options) is { } problem)
        {
            await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
            return 1;
        }

        LocalCloudHost? host = null;
        try
        {
            var bootstrap = options.Bootstrap
                ?? await (options.Aot ? BootstrapBuild.AotAsync(Progress, stop) : BootstrapBuild.JitAsync(Progress, stop)).ConfigureAwait(false);
            Progress($"bootstrap {bootstrap}{(options.Aot ? " (Native AOT)" : options.Bootstrap is null ? " (JIT)" : string.Empty)}");
            host = await LocalCloudHost.StartAsync(new LocalCloudOptions
            {
                BootstrapPath = bootstrap,
                Port = options.Port,
                DataPath = options.DataPath,
                LogLevel = options.LogLevel,
                MaxConcurrency = options.MaxConcurrency,
                AllowedOrigins = options.AllowedOrigins,
                Aws = options.Aws ? new AwsTarget(options.Region, options.TenantsTableName!, options.LeasesTableName!, options.StsEndpoints) : null,
                FunctionLog = (function, line) => output.WriteLine($"[{function}] {line}"),
                Progress = Progress,
            }, stop).ConfigureAwait(false);
            if (options.Verbose)
            {
                WatchProcesses(host, output);
            }

            Progress($"API Gateway emulator and development issuer on {host.ApiUrl}");
            string status = "not made with --aws: onboard your own tenant";
            DemoLease? lease = null;
            string? awsConfig = null;
            string? brokered = null;
            if (!options.Aws)
            {
                using var admin = host.CreateAdminClient();
                status = await DemoTenant.EnsureAsync(admin, host.Issuer.Issuer, stop).ConfigureAwait(false);
                Progress($"demo tenant {status}");
                brokered = await DemoBrokeredTenant.EnsureAsync(host, admin, stop).ConfigureAwait(false);
                Progress($"brokered demo tenant {brokered}");
                using var api = new HttpClient { BaseAddress = host.ApiUrl };
                lease = await DemoTenant.VendAsync(api, stop).ConfigureAwait(false);
                awsConfig = Path.Combine(Path.GetDirectoryName(options.DataPath)!, "aws-config");
                await File.WriteAllTextAsync(awsConfig, ReadyScreen.AwsConfig(host.ApiUrl, host.Region), stop).ConfigureAwait(false);
            }

            output.WriteLine(ReadyScreen.Text(host, bootstrap, options.DataPath, status, lease, awsConfig, brokered));
            await output.FlushAsync(stop).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return host is null ? 130 : 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync(PortTaken(e, options.Port) ?? "The local cloud could not start: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (host is not null)
            {
                output.WriteLine("• stopping: the functions' processes, the emulators, dynalite");
                await host.DisposeAsync().ConfigureAwait(false);
                output.WriteLine(options.Aws ? "• stopped" : $"• stopped; the data stays in {options.DataPath}");
            }
        }
    }

    // What can be told before anything starts: a port in use, no node for dynalite.
    private static string? Problem(RunOptions options)
    {
        if (!LoopbackWebApp.IsPortFree(options.Port))
        {
            return $"Port {options.Port} on 127.0.0.1 is taken: stop what listens there, or choose another port with --port N.";
        }

        if (options.Aws)
        {
            return null;
        }

        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", ["--version"]) { RedirectStandardOutput = true, UseShellExecute = false });
            node?.WaitForExit();
            return null;
        }
        catch (Win32Exception)
        {
            return "node is not on PATH: dynalite, the local DynamoDB, runs on Node.js (20 or later). Install Node.js with npm, then run this again.";
        }
    }

    private static string? PortTaken(Exception e, int port) =>
        e is IOException && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            ? $"Port {port} on 127.0.0.1 is taken: stop what listens there, or choose another port with --port N."
            : null;

    private static void WatchProcesses(LocalCloudHost host, TextWriter output)
    {
        foreach (var pid in host.ChildProcessIds)
        {
            output.WriteLine($"• child process {pid} (dynalite)");
        }

        foreach (var pool in host.Gateway.Functions.Values)
        {
            pool.InstanceStarted += (p, pid) => output.WriteLine($"• child process {pid} ({p.FunctionName})");
        }
    }
}
