using CredentialVending.Lambda.Client;
using CredentialVending.Lambda.Context;
using CredentialVending.Lambda.Tests.Fakes;

namespace CredentialVending.Lambda.Tests.Context;

public sealed class LambdaContextTests
{
    [Fact]
    public void The_deadline_is_the_runtime_apis_unix_milliseconds_and_the_remaining_time_shrinks_with_the_clock()
    {
        // The Runtime API documentation's example deadline: 1542409706888 ms, 2018-11-16T23:08:26.888Z.
        var time = new FakeTimeProvider(new DateTimeOffset(2018, 11, 16, 23, 8, 20, 888, TimeSpan.Zero));
        var invocation = new InvocationRequest("req-1", [], 1542409706888, "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime", null);
        var context = new LambdaContext(invocation, new LambdaEnvironment("custom-runtime", "$LATEST", 128, null, null), new JsonLineLogger(TextWriter.Null, LogLevel.Info, time), time);

        Assert.Equal(new DateTimeOffset(2018, 11, 16, 23, 8, 26, 888, TimeSpan.Zero), context.Deadline);
        Assert.Equal(TimeSpan.FromSeconds(6), context.RemainingTime);
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(-1), context.RemainingTime);
    }
}
