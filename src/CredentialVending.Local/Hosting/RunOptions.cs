using System.Globalization;
using CredentialVending.Local.ApiGateway;

namespace CredentialVending.Local.Hosting;

/// <summary>The run command's options, and its help text.</summary>
public sealed record RunOptions
{
    public const string HelpText = """
        Usage: dotnet run --project src/CredentialVending.Local [-- OPTIONS]

        Runs the credential vending service on this machine, for development: the API at
        http://127.0.0.1:PORT (an emulator of the API Gateway HTTP API routing to the real bootstrap, one
        process per function and more under load), with dynalite (DynamoDB), an STS emulator and a
        development OIDC issuer. No AWS account needed. It onboards a demo tenant and prints what to try.

        Options:
          --port N                 the API's port (default 3000); the development issuer shares it
          --allowed-origins LIST   CORS origins, comma separated; * matches any run of characters
                                   (default http://localhost:*,http://127.0.0.1:*; the template's AllowedOrigins)
          --max-concurrency N      bootstrap processes per function at most (default 4)
          --aot                    publish the Native AOT bootstrap (into .local/aot) and run that one
          --bootstrap PATH         run this bootstrap as it is; build nothing
          --data DIR               dynalite's data folder (default .local/dynamo): tenants and leases
                                   survive a restart
          --log-level LEVEL        the functions' LOG_LEVEL: debug, info, warn or error (default info)
          --verbose                also print the child processes' ids
          -h, --help               this text

        With an AWS account:
          --aws                    the same local API against the real DynamoDB and STS of your AWS
                                   profile (AWS_PROFILE, or the SDK's default chain), instead of
                                   dynalite and the STS emulator; needs the two tables:
          --tenants-table NAME     an existing tenants table (the stack's TenantsTableName output)
          --leases-table NAME      an existing leases table (LeasesTableName)
          --region REGION          their region and STS's (default AWS_REGION, else us-east-1)
          --sts-endpoints LIST     the functions' STS_ENDPOINTS, to try other regions or a VPC endpoint:
                                   REGION or REGION=URL, comma separated (default: --region)
                                   AWS_ENDPOINT_URL_DYNAMODB moves DynamoDB, as for any AWS SDK.
                                   No demo tenant is made: onboard yours through the admin route,
                                   with a role that trusts your profile's principal.

        Development only: the development issuer gives a token to any local caller
        (GET /_local/token), and GET /_local/encoded-failure makes STS authorization failure messages;
        no deployment has either. Ctrl-C stops every process it started and keeps the data.
        """;

    public int Port { get; init; } = 3000;
    public IReadOnlyList<string> AllowedOrigins { get; init; } = CorsPolicy.DefaultOrigins;
    public int MaxConcurrency { get; init; } = 4;
    public bool Aot { get; init; }
    public string? Bootstrap { get; init; }
    public string DataPath { get; init; } = Path.Combine(RepositoryPaths.LocalData, "dynamo");
    public string LogLevel { get; init; } = "info";
    public bool Verbose { get; init; }
    public bool Help { get; init; }
    public bool Aws { get; init; }
    public string? TenantsTableName { get; init; }
    public string? LeasesTableName { get; init; }
    public string? StsEndpoints { get; init; }
    public string Region { get; init; } = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region ? region : "us-east-1";

    /// <summary>Reads the command line; an <see cref="ArgumentException"/> says what is wrong with it.</summary>
    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new RunOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "-h" or "--help" => options with { Help = true },
                "--port" => options with { Port = Number(name, Value(), 1, 65535) },
                "--allowed-origins" => options with { AllowedOrigins = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--max-concurrency" => options with { MaxConcurrency = Number(name, Value(), 1, 64) },
                "--aot" => options with { Aot = true },
                "--bootstrap" => options with { Bootstrap = Path.GetFullPath(Value()) },
                "--data" => options with { DataPath = Path.GetFullPath(Value()) },
                "--log-level" => options with { LogLevel = OneOf(name, Value(), "debug", "info", "warn", "error") },
                "--verbose" => options with { Verbose = true },
                "--aws" => options with { Aws = true },
                "--tenants-table" => options with { TenantsTableName = Value() },
                "--leases-table" => options with { LeasesTableName = Value() },
                "--region" => options with { Region = Value() },
                "--sts-endpoints" => options with { StsEndpoints = Value() },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (options.Aws && (options.TenantsTableName is null || options.LeasesTableName is null))
        {
            throw new ArgumentException("--aws needs --tenants-table and --leases-table.");
        }

        if (!options.Aws && (options.TenantsTableName ?? options.LeasesTableName) is not null)
        {
            throw new ArgumentException("--tenants-table and --leases-table go with --aws; locally the tables are the template's, in dynalite.");
        }

        if (!options.Aws && options.StsEndpoints is not null)
        {
            throw new ArgumentException("--sts-endpoints goes with --aws; locally STS is the emulator.");
        }

        return options;
    }

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} takes a number from {min} to {max}, not '{value}'.");

    private static string OneOf(string name, string value, params string[] allowed) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"{name} takes one of {string.Join(", ", allowed)}, not '{value}'.");
}
