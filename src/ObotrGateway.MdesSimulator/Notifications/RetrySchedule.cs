namespace ObotrGateway.MdesSimulator.Notifications;

/// <summary>
/// MDES's NTU retry policy (seeds, on-behalf-of "Issuer-Initiated Status Updates"): three quick retries up to 5 s
/// apart, then 15 min, 30 min and 2 h. A 503's Retry-After replaces the next interval and still uses up a retry.
/// </summary>
internal static class RetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Intervals =
    [
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(3),
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
    ];

    public static int MaxAttempts => Intervals.Count + 1;

    /// <summary>
    /// How long to wait after <paramref name="failedAttempts"/> failed attempts (1 after the first delivery failed),
    /// or null when retries are exhausted.
    /// </summary>
    public static TimeSpan? NextDelay(int failedAttempts, TimeSpan? retryAfter, double timeScale)
    {
        if (failedAttempts < 1 || failedAttempts > Intervals.Count)
        {
            return null;
        }

        var interval = retryAfter ?? Intervals[failedAttempts - 1];
        return TimeSpan.FromTicks((long)(interval.Ticks * timeScale));
    }

    public static bool IsRetryable(int statusCode) => statusCode is 302 or 500 or 503;
}
