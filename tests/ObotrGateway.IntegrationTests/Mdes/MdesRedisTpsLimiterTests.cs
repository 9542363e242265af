using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Mdes;

[Collection(TimingSensitiveGroup.Name)]
public class MdesRedisTpsLimiterTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task AcquireAsync_fourConcurrentBatchLoops_neverExceedCapInAnyOneSecondWindow()
    {
        const int Cap = 5;
        const int Total = 24;
        var limiter = Limiter(o => o.TpsPerTokenRequestor = Cap);
        var trid = NewTrid();
        var clock = Stopwatch.StartNew();
        var grants = new List<DateTimeOffset>();
        var taken = 0;

        // Four takers, as four gateway replicas would be, racing for the same TRID's slots.
        var loops = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref taken) <= Total)
            {
                var grantedAt = await limiter.AcquireAsync(trid, MdesCallPriority.Batch, MdesOperation.Tokenize, CancellationToken.None);
                lock (grants)
                {
                    grants.Add(grantedAt);
                }
            }
        }));
        await Task.WhenAll(loops);

        grants.Count.ShouldBe(Total);
        grants.Sort();
        for (var i = 0; i + Cap < grants.Count; i++)
        {
            // Grant i and grant i+Cap may not share any one-second window (by Redis's clock, which the cap is kept by;
            // a local clock read after the await would add this machine's scheduling jitter to the measurement).
            (grants[i + Cap] - grants[i]).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), $"grants {i}..{i + Cap}");
        }

        // Full use of the cap, not a crawl: 24 grants at 5/s need a bit over 4 windows.
        (grants[^1] - grants[0]).ShouldBeLessThan(TimeSpan.FromSeconds(6));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task AcquireAsync_burstAfterIdle_grantsExactlyCapImmediately()
    {
        var limiter = Limiter(o => o.TpsPerTokenRequestor = 3);
        var trid = NewTrid();
        var grants = new List<DateTimeOffset>();

        for (var i = 0; i < 3; i++)
        {
            grants.Add(await limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None));
        }

        // No waiting between them: a wait would be a whole window (1 s) long.
        (grants[^1] - grants[0]).ShouldBeLessThan(TimeSpan.FromMilliseconds(500));
        await Should.ThrowAsync<MdesTpsLimitExceededException>(() =>
            Limiter(o => { o.TpsPerTokenRequestor = 3; o.InteractiveMaxWait = TimeSpan.Zero; })
                .AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None));
    }

    [Fact]
    public async Task AcquireAsync_interactiveCapExhausted_failsWithinBudgetWithRetryAfter()
    {
        var trid = NewTrid();
        var limiter = Limiter(o => { o.TpsPerTokenRequestor = 2; o.InteractiveMaxWait = TimeSpan.FromMilliseconds(200); });
        await limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None);
        await limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None);
        var clock = Stopwatch.StartNew();

        var ex = await Should.ThrowAsync<MdesTpsLimitExceededException>(() =>
            limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Transact, CancellationToken.None));

        // Refused at once (the next slot is ~1 s away, beyond the 200 ms budget), not after sleeping.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(900));
        ex.RetryAfter!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        ex.RetryAfter.Value.ShouldBeLessThanOrEqualTo(TimeSpan.FromMilliseconds(1050));
        ex.TokenRequestorId.ShouldBe(trid);
    }

    [Fact]
    public async Task AcquireAsync_interactiveWithEnoughBudget_waitsForTheNextSlot()
    {
        var trid = NewTrid();
        var limiter = Limiter(o => { o.TpsPerTokenRequestor = 1; o.InteractiveMaxWait = TimeSpan.FromSeconds(2); });
        var first = await limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None);

        var second = await limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None);

        (second - first).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        (second - first).ShouldBeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task AcquireAsync_differentTrids_haveIndependentCapsAndOverrides()
    {
        var exhausted = NewTrid();
        var other = NewTrid();
        var overridden = NewTrid();
        var limiter = Limiter(o =>
        {
            o.TpsPerTokenRequestor = 2;
            o.InteractiveMaxWait = TimeSpan.Zero;
            o.TpsOverrides[overridden] = 6;
        });
        for (var i = 0; i < 2; i++)
        {
            await limiter.AcquireAsync(exhausted, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None);
        }

        await Should.ThrowAsync<MdesTpsLimitExceededException>(() =>
            limiter.AcquireAsync(exhausted, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None));
        for (var i = 0; i < 2; i++)
        {
            await limiter.AcquireAsync(other, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None);
        }

        for (var i = 0; i < 6; i++)
        {
            await limiter.AcquireAsync(overridden, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None);
        }

        await Should.ThrowAsync<MdesTpsLimitExceededException>(() =>
            limiter.AcquireAsync(overridden, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None));
    }

    private static string NewTrid() => System.Security.Cryptography.RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString("D11", System.Globalization.CultureInfo.InvariantCulture);

    private MdesTpsLimiter Limiter(Action<MdesOptions> configure)
    {
        var options = new MdesOptions { RedisKeyPrefix = redis.KeyPrefix };
        configure(options);
        return new MdesTpsLimiter(new RedisMdesTpsStore(redis.Connection), Options.Create(options), TimeProvider.System, NullLogger<MdesTpsLimiter>.Instance);
    }
}
