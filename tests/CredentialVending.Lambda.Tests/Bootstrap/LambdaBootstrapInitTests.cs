using System.Text;
using CredentialVending.Lambda.Bootstrap;
using CredentialVending.Lambda.Client;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Tests.Fakes;

namespace CredentialVending.Lambda.Tests.Bootstrap;

/// <summary>An init that fails is posted to /runtime/init/error, and nothing is served.</summary>
public sealed class LambdaBootstrapInitTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _log = new();
    private readonly FakeRuntimeApiClient _client = new();
    private readonly JsonLineLogger _logger;

    public LambdaBootstrapInitTests() => _logger = new JsonLineLogger(_log, LogLevel.Debug, _time);

    [Fact]
    public async Task A_configuration_error_is_posted_as_the_init_error_with_its_message_and_nothing_is_served()
    {
        _client.Enqueue(new InvocationRequest("req-1", Encoding.UTF8.GetBytes("{}"), 0, "arn", null));
        var served = false;

        var ran = await Bootstrap(_ => throw new LambdaConfigurationException("_HANDLER is 'vnd': it must name one of the functions vend, admin."), () => served = true)
            .RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(ran);
        Assert.False(served);
        Assert.Empty(_client.Responses);
        var error = Assert.Single(_client.InitializationErrors);
        Assert.Equal("Runtime.InvalidConfiguration", error.ErrorType);
        Assert.Equal("_HANDLER is 'vnd': it must name one of the functions vend, admin.", error.ErrorMessage);
        var line = Assert.Single(LogLines.Parse(_log));
        Assert.Equal("ERROR", line.Text("level"));
        Assert.Equal("_HANDLER is 'vnd': it must name one of the functions vend, admin.", line.Text("message"));
        Assert.Equal("Runtime.InvalidConfiguration", line.Text("errorType"));
    }

    [Fact]
    public async Task Any_other_init_failure_is_posted_under_its_type_and_logged_without_its_message()
    {
        var ran = await Bootstrap(_ => throw new InvalidOperationException("Could not read tenant acme-private."), () => { })
            .RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(ran);
        Assert.Equal("InvalidOperationException", Assert.Single(_client.InitializationErrors).ErrorType);
        var line = Assert.Single(LogLines.Parse(_log));
        Assert.Equal("The function's init failed.", line.Text("message"));
        Assert.Equal("System.InvalidOperationException", line.Text("errorType"));
        Assert.DoesNotContain("acme-private", line.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bootstrap_whose_init_has_not_run_serves_nothing()
    {
        var bootstrap = Bootstrap(_ => Task.FromResult<LambdaHandler>((payload, _, _) => Task.FromResult(payload)), () => { });

        await Assert.ThrowsAsync<InvalidOperationException>(() => bootstrap.InvokeOnceAsync(CancellationToken.None));
    }

    private LambdaBootstrap Bootstrap(LambdaBootstrapInitializer initializer, Action served) =>
        new(_client, async token =>
        {
            var handler = await initializer(token);
            return (payload, context, cancel) =>
            {
                served();
                return handler(payload, context, cancel);
            };
        }, new LambdaEnvironment("vend", "1", 256, "vend", "127.0.0.1:9001"), _logger, _time);
}
