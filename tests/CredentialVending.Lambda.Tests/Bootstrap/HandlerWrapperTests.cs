using System.Text;
using System.Text.Json.Serialization;
using CredentialVending.Lambda.Bootstrap;
using CredentialVending.Lambda.Client;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Tests.Fakes;

namespace CredentialVending.Lambda.Tests.Bootstrap;

public sealed record Greeting(string Name);

public sealed record Reply(string Text);

[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(Reply))]
internal sealed partial class WrapperJsonContext : JsonSerializerContext;

/// <summary>The typed handler wrapper: it reads the event, keeps the deadline, and answers what the handler could not.</summary>
public sealed class HandlerWrapperTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly Answers _answers = new();
    private int _calls;

    [Fact]
    public async Task The_handlers_answer_is_written_as_json()
    {
        var answer = await Wrap((greeting, _, _) => Task.FromResult(new Reply("Hello, " + greeting.Name)))
            .Handler(Encoding.UTF8.GetBytes("""{"Name":"acme"}"""), Context(TimeSpan.FromSeconds(10)), CancellationToken.None);

        Assert.Equal("""{"Text":"Hello, acme"}""", Encoding.UTF8.GetString(answer));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[1, 2]")]
    [InlineData("""{"Name":"\ud800"}""")]
    [InlineData("""{"Name":"refused"}""")]
    public async Task An_event_that_does_not_read_or_is_not_accepted_is_answered_unreadable_without_the_handler(string payload)
    {
        var answer = await Wrap(Count).InvokeAsync(Encoding.UTF8.GetBytes(payload), Context(TimeSpan.FromSeconds(10)), CancellationToken.None);

        Assert.Equal("unreadable", answer.Text);
        Assert.Equal(0, _calls);
    }

    [Fact]
    public async Task A_failure_of_the_handler_is_answered_with_that_failure()
    {
        var failure = new InvalidOperationException("A bug.");

        var answer = await Wrap((_, _, _) => throw failure).InvokeAsync(Event(), Context(TimeSpan.FromSeconds(10)), CancellationToken.None);

        Assert.Equal("failed", answer.Text);
        Assert.Same(failure, _answers.Failure);
    }

    [Fact]
    public async Task The_handler_is_stopped_a_margin_before_the_deadline_and_that_is_answered()
    {
        // 1.05 s left and a 1 s margin: the handler has 50 ms.
        var answer = await Wrap(async (_, _, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return new Reply("never");
        }).InvokeAsync(Event(), Context(TimeSpan.FromMilliseconds(1050)), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("deadline", answer.Text);
    }

    [Fact]
    public async Task The_process_being_stopped_is_not_answered_but_left_to_the_loop()
    {
        using var stop = new CancellationTokenSource();
        var wrapper = Wrap(async (_, _, token) =>
        {
            await stop.CancelAsync();
            token.ThrowIfCancellationRequested();
            return new Reply("never");
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wrapper.InvokeAsync(Event(), Context(TimeSpan.FromSeconds(10)), stop.Token));
        Assert.Null(_answers.Failure);
    }

    private Task<Reply> Count(Greeting greeting, ILambdaContext context, CancellationToken token)
    {
        _calls++;
        return Task.FromResult(new Reply("handled"));
    }

    private HandlerWrapper<Greeting, Reply> Wrap(Func<Greeting, ILambdaContext, CancellationToken, Task<Reply>> handler) =>
        new(handler, WrapperJsonContext.Default.Greeting, WrapperJsonContext.Default.Reply, _answers, Margin);

    private static byte[] Event() => Encoding.UTF8.GetBytes("""{"Name":"acme"}""");

    private LambdaContext Context(TimeSpan remaining) => new(
        new InvocationRequest("req-1", [], Now.Add(remaining).ToUnixTimeMilliseconds(), "arn:aws:lambda:us-east-1:123456789012:function:vend", null),
        new LambdaEnvironment("vend", "1", 256, "vend", null),
        new JsonLineLogger(TextWriter.Null, LogLevel.Info, _time),
        _time);

    private sealed class Answers : IInvocationAnswers<Greeting, Reply>
    {
        public Exception? Failure { get; private set; }

        public bool Accepts(Greeting input) => input.Name != "refused";

        public Reply Unreadable(ILambdaContext context) => new("unreadable");

        public Reply DeadlineReached(Greeting input, ILambdaContext context) => new("deadline");

        public Reply Failed(Greeting input, Exception failure, ILambdaContext context)
        {
            Failure = failure;
            return new Reply("failed");
        }
    }
}
