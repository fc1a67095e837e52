// The run command: the whole service on one machine, in one command, on the real bootstrap (see --help).
using System.Runtime.InteropServices;
using CredentialVending.Local.Hosting;

// Read the options; a mistake is told with a pointer to --help.
RunOptions options;
try
{
    options = RunOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"{e.Message} See --help.");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(RunOptions.HelpText);
    return 0;
}

// Ctrl-C and SIGTERM stop the run in order (functions, emulators, then dynalite, which closes its data cleanly).
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

// Build, start, onboard the demo tenant, print the screen, and wait.
return await RunCommand.RunAsync(options, Console.Out, stop.Token);
