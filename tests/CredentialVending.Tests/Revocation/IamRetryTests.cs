using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Amazon.Runtime;
using CredentialVending.Common;
using CredentialVending.Revocation.Iam;

namespace CredentialVending.Tests.Revocation;

/// <summary>The standard retry mode's waits, read off the timers the client asks its clock for.</summary>
public sealed class IamRetryTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task Each_retry_waits_a_random_part_of_a_doubling_backoff()
    {
        var clock = new RecordingTimeProvider();

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => Client(clock, TimeSpan.FromMilliseconds(20), TimeSpan.FromHours(1)).GetAsync("tenant-acme", "p", CancellationToken.None));

        var waits = clock.Waits.Where(w => w != AttemptTimeout).ToArray();
        Assert.Equal(4, waits.Length);
        Assert.All(waits.Select((wait, i) => (wait, ceiling: TimeSpan.FromMilliseconds(20 * Math.Pow(2, i)))), w => Assert.InRange(w.wait, TimeSpan.Zero, w.ceiling));
    }

    [Fact]
    public async Task No_wait_is_longer_than_the_cap()
    {
        var clock = new RecordingTimeProvider();

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => Client(clock, TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(30)).GetAsync("tenant-acme", "p", CancellationToken.None));

        Assert.All(clock.Waits.Where(w => w != AttemptTimeout), wait => Assert.InRange(wait, TimeSpan.Zero, TimeSpan.FromMilliseconds(30)));
    }

    private static IamQueryClient Client(TimeProvider clock, TimeSpan backoffBase, TimeSpan cap) => new(
        new HttpClient(new FailingHandler()),
        new BasicAWSCredentials("AKIAIAMRETRYTESTS001", "iamRetryTestsSecretAccessKey000000000000"),
        new IamClientOptions { Endpoint = new Uri("https://iam.example.test/"), MaxAttempts = 5, BackoffBase = backoffBase, MaxBackoff = cap, AttemptTimeout = AttemptTimeout },
        clock);

    /// <summary>The system clock, noting every timer's due time and ending each backoff at once, however long it is.</summary>
    private sealed class RecordingTimeProvider : TimeProvider
    {
        private readonly ConcurrentQueue<TimeSpan> _waits = new();

        public IReadOnlyList<TimeSpan> Waits => [.. _waits];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _waits.Enqueue(dueTime);
            return System.CreateTimer(callback, state, dueTime == AttemptTimeout ? dueTime : TimeSpan.Zero, period);
        }
    }

    private sealed class FailingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent("<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error></ErrorResponse>", Encoding.UTF8, "text/xml"),
            });
    }
}
