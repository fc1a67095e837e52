using System.Text.Json;
using CredentialVending.Lambda.Events;

namespace CredentialVending.Lambda.Tests.Events;

/// <summary>The sample events of Events/Samples (see its README), read as the function reads an invocation's payload.</summary>
internal static class Samples
{
    public static APIGatewayHttpApiV2ProxyRequest Read(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Events", "Samples", name));
        var request = JsonSerializer.Deserialize(bytes, LambdaJsonContext.Default.APIGatewayHttpApiV2ProxyRequest);
        Assert.NotNull(request);
        return request;
    }
}
