using System.Collections.Concurrent;
using System.Text.Json;
using CredentialVending.Functions.Hosting;
using CredentialVending.SystemTests.Support;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Events;

namespace CredentialVending.SystemTests.Hostile.Fuzz;

/// <summary>
/// A function's <see cref="FunctionHost"/> in this process, as the bootstrap builds it, with dependencies that are never
/// reached by the events fuzzed here (no tenant can be loaded without a well-formed token, no admin call is authorized):
/// so whatever it answers, it answers from the event alone, and an exception surfaces here rather than in a child process.
/// </summary>
public sealed class InProcessHost
{
    private static readonly FunctionConfiguration Configuration = new()
    {
        TenantsTable = "fuzz-tenants",
        LeasesTable = "fuzz-leases",
        StsEndpoints = "us-east-1=http://127.0.0.1:9",
    };

    private readonly FunctionHost _host;

    static InProcessHost()
    {
        // Lambda always sets AWS_REGION; the services build their clients (never calling them here) only when one is known.
        Amazon.AWSConfigs.AWSRegion ??= "us-east-1";
    }

    public InProcessHost(string function) => _host = new FunctionHost(function, new FunctionServices(Configuration, TimeProvider.System));

    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>The answer, or a description of why it is not one docs/api.md allows (null when it is).</summary>
    public async Task<(APIGatewayHttpApiV2ProxyResponse? Answer, string? Problem)> HandleAsync(byte[] payload)
    {
        APIGatewayHttpApiV2ProxyResponse answer;
        try
        {
            answer = await _host.HandleEventAsync(payload, new RecordingLambdaContext(Logs, "credvend-fuzz"), CancellationToken.None);
        }
#pragma warning disable CA1031 // Any exception at all is the finding.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (null, $"threw {e.GetType().Name}: {e.Message}");
        }

        return (answer, Check(answer));
    }

    /// <summary>Null for a 2xx JSON answer or a 4xx problem+json; otherwise what is wrong with it.</summary>
    public static string? Check(APIGatewayHttpApiV2ProxyResponse answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.StatusCode is < 200 or > 499 or (>= 300 and < 400))
        {
            return $"answered {answer.StatusCode}: {answer.Body}";
        }

        var type = answer.Headers?.GetValueOrDefault("content-type");
        try
        {
            using var body = JsonDocument.Parse(answer.Body ?? string.Empty);
            if (answer.StatusCode >= 400 && (type != "application/problem+json" || body.RootElement.GetProperty("status").GetInt32() != answer.StatusCode))
            {
                return $"answered {answer.StatusCode} without a matching problem+json: {answer.Body}";
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"answered {answer.StatusCode} with a body that is not JSON: {answer.Body}";
        }

        return null;
    }
}
