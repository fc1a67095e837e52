using CredentialVending.Functions.Hosting;
using CredentialVending.Lambda.Bootstrap;
using CredentialVending.Lambda.Client;
using CredentialVending.Lambda.Context;

// 1. Lambda's own variables, and a logger as Lambda's logging controls set it (AWS_LAMBDA_LOG_LEVEL over LOG_LEVEL,
//    AWS_LAMBDA_LOG_FORMAT): one line an event, each with the invocation's request id and trace id.
var environment = LambdaEnvironment.FromProcess();
var time = TimeProvider.System;
var logger = JsonLineLogger.FromVariables(Console.Out, Environment.GetEnvironmentVariable, time);
if (string.IsNullOrEmpty(environment.RuntimeApi))
{
    await Console.Error.WriteLineAsync("AWS_LAMBDA_RUNTIME_API is not set: this bootstrap runs under Lambda or a Runtime API emulator (dotnet run --project src/CredentialVending.Local).").ConfigureAwait(false);
    return 2;
}

using var client = new RuntimeApiClient(environment.RuntimeApi);

// 2. The init: the function named by _HANDLER (the template's Handler), with its configuration. Another name, or an
//    admin or role pattern that spans accounts, is an init error the bootstrap posts; any other problem answers 503.
LambdaBootstrapInitializer initializer = _ =>
    Task.FromResult<LambdaHandler>(FunctionStartup.Create(environment.Handler, Environment.GetEnvironmentVariable, logger, time).HandleAsync);

// 3. The invocation loop, until Lambda ends the process.
return await new LambdaBootstrap(client, initializer, environment, logger, time).RunAsync(CancellationToken.None).ConfigureAwait(false) ? 0 : 1;
