using CredentialVending.Functions;
using CredentialVending.Functions.Hosting;
using CredentialVending.Lambda.Bootstrap;
using CredentialVending.Lambda.Client;
using CredentialVending.Lambda.Context;

// 1. Lambda's own variables, and a logger that writes one JSON object a line.
var environment = LambdaEnvironment.FromProcess();
var time = TimeProvider.System;
var logger = new JsonLineLogger(Console.Out, JsonLineLogger.ParseLevel(Environment.GetEnvironmentVariable("LOG_LEVEL")), time);
if (string.IsNullOrEmpty(environment.RuntimeApi))
{
    await Console.Error.WriteLineAsync("AWS_LAMBDA_RUNTIME_API is not set: this bootstrap runs under Lambda or a Runtime API emulator (dotnet run --project src/CredentialVending.Local).").ConfigureAwait(false);
    return 2;
}

using var client = new RuntimeApiClient(environment.RuntimeApi);

// 2. The function named by _HANDLER (the template's Handler), with its configuration. Another name, or an admin or
//    role pattern that spans accounts, is an init error; any other configuration problem answers 503 (below).
var configuration = FunctionConfiguration.FromVariables(Environment.GetEnvironmentVariable);
var function = environment.Handler;
var initProblem = function is null || !RouteTable.Functions.Contains(function)
    ? $"_HANDLER is '{function}': it must name one of the functions {string.Join(", ", RouteTable.Functions)}."
    : FunctionConfiguration.InitProblem(Environment.GetEnvironmentVariable);
if (initProblem is not null)
{
    logger.Log(LogLevel.Error, initProblem);
    await client.ReportInitializationErrorAsync(new LambdaError(initProblem, "Runtime.InvalidConfiguration", []), CancellationToken.None).ConfigureAwait(false);
    return 1;
}

// A variable missing or unreadable: every request is answered 503 with the cause logged, as for a missing table.
if (configuration.IsRefused)
{
    logger.Log(LogLevel.Error, "The function is misconfigured.", [new("cause", configuration.Refusal!.Detail)]);
}

var host = configuration.IsRefused
    ? FunctionHost.Misconfigured(function!, configuration.Refusal!.Detail)
    : new FunctionHost(function!, new FunctionServices(configuration.Value!, time));

// 3. The invocation loop, until Lambda ends the process.
await new LambdaBootstrap(client, host.HandleAsync, environment, logger, time).RunAsync(CancellationToken.None).ConfigureAwait(false);
return 0;
