using ObotrGateway.MdesSimulator.Notifications;

namespace ObotrGateway.UnitTests.Simulator;

public sealed class RetryScheduleTests
{
    [Fact]
    public void NextDelay_unscaled_isThreeQuickRetriesThen15m30m2h()
    {
        var delays = Enumerable.Range(1, 7).Select(n => RetrySchedule.NextDelay(n, null, 1.0)).ToList();

        delays.ShouldBe([
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5),
            TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), null]);
        delays.Take(3).ShouldAllBe(d => d <= TimeSpan.FromSeconds(5));
        RetrySchedule.MaxAttempts.ShouldBe(7);
    }

    [Fact]
    public void NextDelay_timeScale_multipliesEveryInterval()
    {
        RetrySchedule.NextDelay(6, null, 0.001).ShouldBe(TimeSpan.FromSeconds(7.2));
        RetrySchedule.NextDelay(4, null, 0.001).ShouldBe(TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public void NextDelay_retryAfter_replacesTheIntervalAndUsesUpTheRetry()
    {
        RetrySchedule.NextDelay(2, TimeSpan.FromSeconds(120), 1.0).ShouldBe(TimeSpan.FromSeconds(120));
        RetrySchedule.NextDelay(2, TimeSpan.FromSeconds(120), 0.5).ShouldBe(TimeSpan.FromSeconds(60));
        RetrySchedule.NextDelay(7, TimeSpan.FromSeconds(1), 1.0).ShouldBeNull();
    }

    [Theory]
    [InlineData(302, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(502, false)]
    public void IsRetryable_followsTheSeedsList(int status, bool retryable)
    {
        RetrySchedule.IsRetryable(status).ShouldBe(retryable);
    }
}
