using CredentialVending.Lambda.Bootstrap;
using CredentialVending.Lambda.Context;

namespace CredentialVending.Functions.Hosting;

/// <summary>
/// The function's init: the host of the function that <c>_HANDLER</c> names, with its configuration. What must stop the
/// function (another name, a pattern that spans accounts) is a <see cref="LambdaConfigurationException"/>, which the
/// bootstrap posts as the init error; any other configuration problem makes a host that answers 503 with the cause logged.
/// </summary>
public static class FunctionStartup
{
    public static FunctionHost Create(string? function, Func<string, string?> read, ILambdaLogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (function is null || !RouteTable.Functions.Contains(function))
        {
            throw new LambdaConfigurationException($"_HANDLER is '{function}': it must name one of the functions {string.Join(", ", RouteTable.Functions)}.");
        }

        if (FunctionConfiguration.InitProblem(read) is { } initProblem)
        {
            throw new LambdaConfigurationException(initProblem);
        }

        // A variable missing or unreadable: every request is answered 503 with the cause logged, as for a missing table.
        var configuration = FunctionConfiguration.FromVariables(read);
        if (configuration.IsRefused)
        {
            logger.Log(LogLevel.Error, "The function is misconfigured.", [new("function", function), new("cause", configuration.Refusal!.Detail)]);
            return FunctionHost.Misconfigured(function, configuration.Refusal!.Detail);
        }

        return new FunctionHost(function, new FunctionServices(configuration.Value!, time, logger));
    }
}
