using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.Testing;

namespace ObotrGateway.IntegrationTests.Mdes;

[Collection(TimingSensitiveGroup.Name)]
public class MdesRedisTpsLimiterTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task AcquireAsync_fourTakersWithRandomDelaysBeforeArrival_neverExceedCapInAnyOneSecondOfArrivals()
    {
        const int Cap = 5;
        const int Total = 20;
        var limiter = Limiter(o => o.TpsPerTokenRequestor = Cap);
        var trid = NewTrid();
        var mdesClock = Stopwatch.StartNew();
        var arrivals = new List<TimeSpan>();
        var taken = 0;

        // Four takers, as four gateway replicas would be. Between grant and arrival lies a random delay (queueing,
        // network), and between arrival and answer another: the arrivals, read on a clock that is not Redis's, are
        // what MDES counts.
        var loops = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref taken) <= Total)
            {
                var lease = await limiter.AcquireAsync(trid, MdesCallPriority.Batch, MdesOperation.Tokenize, CancellationToken.None);
                await Task.Delay(RandomNumberGenerator.GetInt32(0, 300));
                lock (arrivals)
                {
                    arrivals.Add(mdesClock.Elapsed);
                }

                await Task.Delay(RandomNumberGenerator.GetInt32(0, 200));
                await limiter.ReleaseAsync(lease);
            }
        }));
        await Task.WhenAll(loops);

        arrivals.Count.ShouldBe(Total);
        ArrivalWindows.MaxInAnySecond(arrivals).ShouldBeLessThanOrEqualTo(Cap);
        // The cap is used, not crawled: each slot turns over in delay + answer + 1 s ≈ 1.25 s on average.
        mdesClock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(12));
    }

    [Fact]
    public async Task AcquireAsync_callInFlightLongerThanTheWindow_keepsItsSlotUntilOneWindowAfterRelease()
    {
        var trid = NewTrid();
        var limiter = Limiter(o => { o.TpsPerTokenRequestor = 1; o.InteractiveMaxWait = TimeSpan.Zero; });
        var lease = await limiter.AcquireAsync(trid, MdesCallPriority.Batch, MdesOperation.Tokenize, CancellationToken.None);

        // 1.2 s in flight: a grant-counting window would have freed the slot already, yet the call may arrive now.
        await Task.Delay(1200);
        await Should.ThrowAsync<MdesTpsLimitExceededException>(() =>
            limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None));
        var released = Stopwatch.StartNew();
        await limiter.ReleaseAsync(lease);
        await limiter.AcquireAsync(trid, MdesCallPriority.Batch, MdesOperation.Tokenize, CancellationToken.None);

        released.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(990));
    }

    [Fact]
    public async Task AcquireAsync_slotNeverReleased_freesAfterAttemptTimeoutPlusWindow()
    {
        var trid = NewTrid();
        var limiter = Limiter(o => { o.TpsPerTokenRequestor = 1; o.AttemptTimeout = TimeSpan.FromMilliseconds(500); });
        var orphan = await limiter.AcquireAsync(trid, MdesCallPriority.Batch, MdesOperation.Tokenize, CancellationToken.None);

        var next = await limiter.AcquireAsync(trid, MdesCallPriority.Batch, MdesOperation.Tokenize, CancellationToken.None);

        // Its owner "died": nobody releases it, the lease (500 ms + 1 s) frees it, on Redis's clock.
        (next.GrantedAt - orphan.GrantedAt).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1500));
        (next.GrantedAt - orphan.GrantedAt).ShouldBeLessThan(TimeSpan.FromMilliseconds(2500));
    }

    [Fact]
    public async Task AcquireAsync_interactiveCallerWaiting_getsTheNextSlotBeforeBatchCallersWaitingLonger()
    {
        var trid = NewTrid();
        var limiter = Limiter(o => { o.TpsPerTokenRequestor = 1; o.InteractiveMaxWait = TimeSpan.FromSeconds(2); });
        await limiter.ReleaseAsync(await limiter.AcquireAsync(trid, MdesCallPriority.Batch, MdesOperation.Tokenize, CancellationToken.None));
        using var stop = new CancellationTokenSource();
        var batchGrants = new List<DateTimeOffset>();
        var batch = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var lease = await limiter.AcquireAsync(trid, MdesCallPriority.Batch, MdesOperation.Tokenize, stop.Token);
            lock (batchGrants)
            {
                batchGrants.Add(lease.GrantedAt);
            }
        })).ToList();
        await Task.Delay(100);

        var interactive = await limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Transact, CancellationToken.None);

        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => Task.WhenAll(batch));
        lock (batchGrants)
        {
            batchGrants.ShouldBeEmpty("a batch caller took the slot the waiting interactive caller was owed");
        }

        await limiter.ReleaseAsync(interactive);
    }

    [Fact]
    public async Task AcquireAsync_burstAfterIdle_grantsExactlyCapImmediately()
    {
        var limiter = Limiter(o => o.TpsPerTokenRequestor = 3);
        var trid = NewTrid();
        var grants = new List<DateTimeOffset>();

        for (var i = 0; i < 3; i++)
        {
            grants.Add((await limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None)).GrantedAt);
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
        await limiter.ReleaseAsync(first);

        var second = await limiter.AcquireAsync(trid, MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None);

        (second.GrantedAt - first.GrantedAt).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        (second.GrantedAt - first.GrantedAt).ShouldBeLessThan(TimeSpan.FromSeconds(2));
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

    private static string NewTrid() => RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString("D11", System.Globalization.CultureInfo.InvariantCulture);

    private MdesTpsLimiter Limiter(Action<MdesOptions> configure)
    {
        var options = new MdesOptions { RedisKeyPrefix = redis.KeyPrefix };
        configure(options);
        return new MdesTpsLimiter(new RedisMdesTpsStore(redis.Connection), Options.Create(options), TimeProvider.System, NullLogger<MdesTpsLimiter>.Instance);
    }
}
