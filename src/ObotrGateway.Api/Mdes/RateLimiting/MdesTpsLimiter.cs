using Microsoft.Extensions.Options;

namespace ObotrGateway.Api.Mdes.RateLimiting;

/// <summary>Interactive callers (a merchant waiting on an HTTP answer) wait briefly and go first; batch jobs wait their turn.</summary>
internal enum MdesCallPriority
{
    Interactive,
    Batch,
}

/// <summary>
/// A taken slot: one attempt may go out. <see cref="AttemptDeadline"/> (this process's clock, counted from before the
/// slot was asked for) is when the attempt must have ended, so the slot's lease in Redis outlasts it whatever the delays.
/// </summary>
internal sealed record MdesTpsLease(string Key, string SlotId, DateTimeOffset GrantedAt, long AttemptDeadline);

/// <summary>
/// Caps calls to MDES per Token Requestor ID across every gateway replica so that no one-second window of their
/// arrival times at MDES holds more than the cap, whatever the delay between grant and arrival (ADR 0103): a slot
/// is held from its grant until one window after the call was answered, or, if it never is, until its lease
/// (attempt timeout + window) runs out.
/// </summary>
internal sealed partial class MdesTpsLimiter(
    IMdesTpsStore store,
    IOptions<MdesOptions> options,
    TimeProvider timeProvider,
    ILogger<MdesTpsLimiter> logger)
{
    /// <summary>MDES's counting window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Returns the lease once a slot is taken. Interactive callers give up after <see cref="MdesOptions.InteractiveMaxWait"/>
    /// with <see cref="MdesTpsLimitExceededException"/>; a Redis failure gives
    /// <see cref="MdesUnavailableException"/> (fail closed: exceeding MDES's cap gets the TRID throttled for everyone).
    /// </summary>
    public async Task<MdesTpsLease> AcquireAsync(string tokenRequestorId, MdesCallPriority priority, MdesOperation operation, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var limit = settings.TpsFor(tokenRequestorId);
        var key = Key(settings, tokenRequestorId);
        var slotId = Guid.NewGuid().ToString("N");
        var interactive = priority == MdesCallPriority.Interactive;
        var started = timeProvider.GetTimestamp();

        while (true)
        {
            // Taken before the question leaves: Redis grants later than this, so a deadline counted from here ends
            // before the lease Redis counts from its grant.
            var asked = timeProvider.GetTimestamp();
            var waited = timeProvider.GetElapsedTime(started);
            var claim = new TpsClaim(key, slotId, limit, settings.AttemptTimeout + Window, Window, interactive,
                interactive ? settings.InteractiveMaxWait - waited : TimeSpan.Zero);
            TpsSlot slot;
            try
            {
                slot = await store.TryAcquireAsync(claim, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLimiterUnavailable(logger, ex, tokenRequestorId);
                throw new MdesUnavailableException(operation, MdesUnavailableReason.RateLimiterUnavailable, outcomeUnknown: false, innerException: ex);
            }

            if (slot.Acquired)
            {
                MdesMetrics.SlotGranted(tokenRequestorId, priority, limit, timeProvider.GetElapsedTime(started));
                return new MdesTpsLease(key, slotId, slot.GrantedAt, asked + (long)(settings.AttemptTimeout.TotalSeconds * timeProvider.TimestampFrequency));
            }

            waited = timeProvider.GetElapsedTime(started);
            if (interactive && waited + slot.RetryAfter > settings.InteractiveMaxWait)
            {
                LogSlotRefused(logger, tokenRequestorId, limit, slot.RetryAfter.TotalMilliseconds);
                MdesMetrics.SlotRefused(tokenRequestorId, priority);
                throw new MdesTpsLimitExceededException(operation, tokenRequestorId, slot.RetryAfter);
            }

            await Task.Delay(slot.RetryAfter, timeProvider, cancellationToken);
        }
    }

    /// <summary>How long the attempt under this lease may still run (at least 1 ms, so a timeout still fires).</summary>
    public TimeSpan Remaining(MdesTpsLease lease)
    {
        var left = TimeSpan.FromSeconds((double)(lease.AttemptDeadline - timeProvider.GetTimestamp()) / timeProvider.TimestampFrequency);
        return left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>
    /// MDES answered the attempt, so it has arrived: the slot frees one window from now. Not called when there was no
    /// answer (timeout, broken connection): the request may still be at MDES, and the slot keeps its full lease.
    /// Never throws; if Redis is unreachable the slot simply keeps its lease.
    /// </summary>
    public async Task ReleaseAsync(MdesTpsLease lease)
    {
        try
        {
            await store.ReleaseAsync(lease.Key, lease.SlotId, Window);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex);
        }
    }

    private static string Key(MdesOptions settings, string tokenRequestorId) => $"{settings.RedisKeyPrefix}mdes:tps:{{{tokenRequestorId}}}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "MDES TPS cap {Limit}/s reached for TRID {TokenRequestorId}; interactive call refused, retry after {RetryAfterMs} ms")]
    private static partial void LogSlotRefused(ILogger logger, string tokenRequestorId, int limit, double retryAfterMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "MDES TPS limiter store unavailable for TRID {TokenRequestorId}")]
    private static partial void LogLimiterUnavailable(ILogger logger, Exception exception, string tokenRequestorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MDES TPS slot release failed; the slot is held until its lease ends")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
