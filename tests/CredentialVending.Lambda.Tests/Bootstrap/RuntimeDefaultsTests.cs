using CredentialVending.Lambda.Bootstrap;

namespace CredentialVending.Lambda.Tests.Bootstrap;

/// <summary>The runtime settings a Lambda process starts with: set where the deployment left them out, kept where it set them.</summary>
public sealed class RuntimeDefaultsTests
{
    [Fact]
    public void A_process_without_the_variables_gets_inline_socket_completions()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);

        RuntimeDefaults.Apply(n => environment.GetValueOrDefault(n), (n, v) => environment[n] = v);

        Assert.Equal("1", environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("")]
    public void A_value_the_deployment_set_is_kept(string value)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = value };

        RuntimeDefaults.Apply(n => environment.GetValueOrDefault(n), (n, v) => environment[n] = v);

        Assert.Equal(value, environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }
}
