using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;

namespace ObotrGateway.UnitTests.Mdes.RateLimiting;

public class MdesTpsLimiterTests
{
    [Fact]
    public async Task AcquireAsync_interactiveWithinBudget_waitsForTheSlot()
    {
        var store = new FakeTpsStore { Next = call => new TpsSlot(call > 1, TimeSpan.FromMilliseconds(100)) };

        await Limiter(store).AcquireAsync("50123456789", MdesCallPriority.Interactive, MdesOperation.Tokenize, CancellationToken.None);

        store.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task AcquireAsync_batchBeyondInteractiveBudget_keepsWaiting()
    {
        var store = new FakeTpsStore { Next = call => new TpsSlot(call > 3, TimeSpan.FromMilliseconds(600)) };

        await Limiter(store, o => o.InteractiveMaxWait = TimeSpan.FromMilliseconds(100))
            .AcquireAsync("50123456789", MdesCallPriority.Batch, MdesOperation.Tokenize, CancellationToken.None);

        store.Calls.ShouldBe(4);
    }

    [Fact]
    public async Task AcquireAsync_interactiveBeyondBudget_throwsWithRetryAfter()
    {
        var store = new FakeTpsStore { Next = _ => new TpsSlot(false, TimeSpan.FromMilliseconds(400)) };

        var ex = await Should.ThrowAsync<MdesTpsLimitExceededException>(() =>
            Limiter(store, o => o.InteractiveMaxWait = TimeSpan.FromMilliseconds(1000))
                .AcquireAsync("50123456789", MdesCallPriority.Interactive, MdesOperation.Transact, CancellationToken.None));

        ex.RetryAfter.ShouldBe(TimeSpan.FromMilliseconds(400));
        ex.Reason.ShouldBe(MdesUnavailableReason.TpsLimitReached);
        ex.Operation.ShouldBe(MdesOperation.Transact);
        store.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task AcquireAsync_interactiveWaiting_claimsAPlaceForWhatIsLeftOfItsBudgetAndBatchClaimsNone()
    {
        var store = new FakeTpsStore { Next = call => new TpsSlot(call > 1, TimeSpan.FromMilliseconds(300)) };
        var limiter = Limiter(store, o => { o.InteractiveMaxWait = TimeSpan.FromMilliseconds(1000); o.AttemptTimeout = TimeSpan.FromSeconds(4); });

        await limiter.AcquireAsync("50123456789", MdesCallPriority.Interactive, MdesOperation.Transact, CancellationToken.None);
        await limiter.AcquireAsync("50123456789", MdesCallPriority.Batch, MdesOperation.Tokenize, CancellationToken.None);

        store.Claims[0].Interactive.ShouldBeTrue();
        store.Claims[0].WaitBudget.ShouldBe(TimeSpan.FromMilliseconds(1000));
        store.Claims[1].WaitBudget.ShouldBe(TimeSpan.FromMilliseconds(700));
        store.Claims[1].SlotId.ShouldBe(store.Claims[0].SlotId);
        store.Claims[2].Interactive.ShouldBeFalse();
        store.Claims[2].WaitBudget.ShouldBe(TimeSpan.Zero);
        store.Claims.ShouldAllBe(c => c.Lease == TimeSpan.FromSeconds(5) && c.Window == TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task AcquireAsync_storeDown_failsClosedWithTypedError()
    {
        var store = new FakeTpsStore { Throw = new TimeoutException("redis") };

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() =>
            Limiter(store).AcquireAsync("50123456789", MdesCallPriority.Batch, MdesOperation.GetToken, CancellationToken.None));

        ex.Reason.ShouldBe(MdesUnavailableReason.RateLimiterUnavailable);
        ex.OutcomeUnknown.ShouldBeFalse();
    }

    [Fact]
    public void TpsFor_override_winsOverDefault()
    {
        var options = new MdesOptions { TpsPerTokenRequestor = 5, TpsOverrides = { ["50123456789"] = 50 } };

        options.TpsFor("50123456789").ShouldBe(50);
        options.TpsFor("50000000000").ShouldBe(5);
    }

    private static MdesTpsLimiter Limiter(FakeTpsStore store, Action<MdesOptions>? configure = null)
    {
        var options = new MdesOptions();
        configure?.Invoke(options);
        return new MdesTpsLimiter(store, Options.Create(options), new SkippingTime(), NullLogger<MdesTpsLimiter>.Instance);
    }

    /// <summary>
    /// FakeTimeProvider that jumps: every wait the limiter starts moves the clock by its length at once, so the wait
    /// ends before the limiter's next step and the counts above do not depend on how busy the test machine is.
    /// Advancing from the test instead would race the limiter's next Task.Delay, which FakeTimeProvider cannot observe.
    /// </summary>
    private sealed class SkippingTime : FakeTimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Advance(dueTime);
            return timer;
        }
    }
}
