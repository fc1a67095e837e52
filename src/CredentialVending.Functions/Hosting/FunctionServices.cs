namespace CredentialVending.Functions.Hosting;

/// <summary>
/// What the routes use, built once per process and kept across invocations (clients, caches).
/// </summary>
public sealed class FunctionServices
{
    public FunctionServices(FunctionConfiguration configuration, TimeProvider time)
    {
        Configuration = configuration;
        Time = time;
    }

    public FunctionConfiguration Configuration { get; }
    public TimeProvider Time { get; }
}
