using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using CredentialVending.Limits;
using CredentialVending.Local.Dynamo;

namespace CredentialVending.Tests.Limits;

/// <summary>
/// The per-tenant rate limit against dynalite, through RateLimiter's public surface: the limit holds exactly, a small
/// tenant costs one write on one item, and a tenant of 1,000,000 a minute spreads its writes so that no item is hot.
/// Writes are counted per item as the client sends them.
/// </summary>
public sealed class RateLimiterTests : IClassFixture<RateLimiterTests.Table>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 19, 30, 20, TimeSpan.Zero);

    private readonly ConcurrentDictionary<string, int> _writesPerItem = new(StringComparer.Ordinal);
    private readonly AmazonDynamoDBClient _dynamo;
    private readonly Table _tables;
    private string _table = string.Empty;

    public RateLimiterTests(Table table)
    {
        _tables = table;
        _dynamo = table.Client();
        _dynamo.BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs { Request: UpdateItemRequest update })
            {
                _writesPerItem.AddOrUpdate($"{update.Key["tenantId"].S} {update.Key["leaseId"].S}", 1, (_, n) => n + 1);
            }
        };
    }

    // A table of its own for each test, so that each counts only its own writes from a fresh minute.
    public async Task InitializeAsync() => _table = await _tables.CreateAsync();

    public Task DisposeAsync()
    {
        _dynamo.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>One dynalite for the class; a leases-shaped table per test.</summary>
    public sealed class Table : IAsyncLifetime
    {
        private Dynalite _dynalite = null!;

        public AmazonDynamoDBClient Client() =>
            new(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = _dynalite.Endpoint.ToString() });

        public async Task<string> CreateAsync()
        {
            var name = "leases-" + Guid.NewGuid().ToString("N");
            using var dynamo = Client();
            await dynamo.CreateTableAsync(new CreateTableRequest
            {
                TableName = name,
                KeySchema = [new("tenantId", KeyType.HASH), new("leaseId", KeyType.RANGE)],
                AttributeDefinitions = [new("tenantId", ScalarAttributeType.S), new("leaseId", ScalarAttributeType.S)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            });

            // dynalite answers CreateTable while the table is CREATING and refuses writes to it until it is ACTIVE, a
            // tick later: a thousand writes sent at once can arrive inside that tick.
            for (var i = 0; i < 100 && (await dynamo.DescribeTableAsync(name)).Table.TableStatus != TableStatus.ACTIVE; i++)
            {
                await Task.Delay(10);
            }

            return name;
        }

        public async Task InitializeAsync() => _dynalite = await Dynalite.StartAsync();

        public async Task DisposeAsync() => await _dynalite.DisposeAsync();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(600, 1)]
    [InlineData(RateLimiter.PerItemPerMinute, 1)]
    [InlineData(RateLimiter.PerItemPerMinute + 1, 2)]
    [InlineData(100_000, 10)]
    [InlineData(1_000_000, 100)]
    [InlineData(int.MaxValue, 214_749)]
    public void A_limit_is_spread_over_one_item_per_ten_thousand_requests_a_minute(int requestsPerMinute, int items)
    {
        Assert.Equal(items, RateLimiter.ShardsFor(requestsPerMinute));
    }

    [Fact]
    public async Task A_small_tenant_is_allowed_its_limit_and_then_told_to_wait_for_the_next_minute_with_one_write_per_request()
    {
        var limiter = new RateLimiter(_dynamo, _table);

        var answers = new List<TimeSpan?>();
        for (var i = 0; i < 7; i++)
        {
            answers.Add(await limiter.TryAcquireAsync("acme", 5, Now, CancellationToken.None));
        }

        Assert.Equal(5, answers.Count(a => a is null));
        Assert.All(answers.Skip(5), a => Assert.Equal(TimeSpan.FromSeconds(40), a));
        var item = Assert.Single(_writesPerItem);
        Assert.Equal("_rate#acme", item.Key.Split(' ')[0]);
        Assert.Equal(7, item.Value);
    }

    [Fact]
    public async Task A_new_minute_starts_a_new_count()
    {
        var limiter = new RateLimiter(_dynamo, _table);
        Assert.Null(await limiter.TryAcquireAsync("acme", 1, Now, CancellationToken.None));
        Assert.NotNull(await limiter.TryAcquireAsync("acme", 1, Now, CancellationToken.None));

        Assert.Null(await limiter.TryAcquireAsync("acme", 1, Now.AddSeconds(40), CancellationToken.None));
    }

    [Fact]
    public async Task Tenants_count_apart()
    {
        var limiter = new RateLimiter(_dynamo, _table);
        Assert.Null(await limiter.TryAcquireAsync("acme", 1, Now, CancellationToken.None));

        Assert.Null(await limiter.TryAcquireAsync("globex", 1, Now, CancellationToken.None));
    }

    [Fact]
    public async Task A_limit_spread_over_items_still_allows_exactly_the_limit()
    {
        // Ten a minute on one item: a limit of 21 takes three items, allowing 7, 7 and 7.
        var limiter = new RateLimiter(_dynamo, _table, perItemPerMinute: 10);
        var allowed = 0;

        await Parallel.ForAsync(0, 30, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, cancellationToken) =>
        {
            if (await limiter.TryAcquireAsync("acme", 21, Now, cancellationToken) is null)
            {
                Interlocked.Increment(ref allowed);
            }
        });

        Assert.Equal(21, allowed);
        Assert.Equal(3, _writesPerItem.Count);
        Assert.All(_writesPerItem.Values, writes => Assert.Equal(10, writes));
    }

    [Fact]
    public async Task A_tenant_of_a_million_a_minute_writes_each_of_its_hundred_items_in_turn()
    {
        var limiter = new RateLimiter(_dynamo, _table);

        await Parallel.ForAsync(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, cancellationToken) =>
            Assert.Null(await limiter.TryAcquireAsync("acme", 1_000_000, Now, cancellationToken)));

        // 1,000,000 a minute at these proportions is 167 writes a second on each item: a sixth of what one item takes.
        Assert.Equal(100, _writesPerItem.Count);
        Assert.All(_writesPerItem.Values, writes => Assert.Equal(10, writes));
        Assert.Equal(100, _writesPerItem.Keys.Select(k => k.Split(' ')[0]).Distinct().Count());
    }
}
