using Microsoft.Extensions.Options;

namespace ObotrGateway.Api.Mdes.RateLimiting;

/// <summary>Interactive callers (a merchant waiting on an HTTP answer) wait briefly; batch jobs wait their turn.</summary>
internal enum MdesCallPriority
{
    Interactive,
    Batch,
}

/// <summary>
/// Caps calls to MDES per Token Requestor ID across every gateway replica: never more than the cap in any
/// one-second window (plus a small margin for network jitter, <see cref="MdesOptions.TpsWindowMargin"/>).
/// </summary>
internal sealed partial class MdesTpsLimiter(
    IMdesTpsStore store,
    IOptions<MdesOptions> options,
    TimeProvider timeProvider,
    ILogger<MdesTpsLimiter> logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Returns the grant time (Redis clock) once a slot is taken. Interactive callers give up after <see cref="MdesOptions.InteractiveMaxWait"/>
    /// with <see cref="MdesTpsLimitExceededException"/>; a Redis failure gives
    /// <see cref="MdesUnavailableException"/> (fail closed: exceeding MDES's cap gets the TRID throttled for everyone).
    /// </summary>
    public async Task<DateTimeOffset> AcquireAsync(string tokenRequestorId, MdesCallPriority priority, MdesOperation operation, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var limit = settings.TpsFor(tokenRequestorId);
        var window = Window + settings.TpsWindowMargin;
        var key = $"{settings.RedisKeyPrefix}mdes:tps:{{{tokenRequestorId}}}";
        var started = timeProvider.GetTimestamp();

        while (true)
        {
            TpsSlot slot;
            try
            {
                slot = await store.TryAcquireAsync(key, limit, window, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLimiterUnavailable(logger, ex, tokenRequestorId);
                throw new MdesUnavailableException(operation, MdesUnavailableReason.RateLimiterUnavailable, outcomeUnknown: false, innerException: ex);
            }

            if (slot.Acquired)
            {
                MdesMetrics.SlotGranted(tokenRequestorId, priority, limit, timeProvider.GetElapsedTime(started));
                return slot.GrantedAt;
            }

            var waited = timeProvider.GetElapsedTime(started);
            if (priority == MdesCallPriority.Interactive && waited + slot.RetryAfter > settings.InteractiveMaxWait)
            {
                LogSlotRefused(logger, tokenRequestorId, limit, slot.RetryAfter.TotalMilliseconds);
                MdesMetrics.SlotRefused(tokenRequestorId, priority);
                throw new MdesTpsLimitExceededException(operation, tokenRequestorId, slot.RetryAfter);
            }

            await Task.Delay(slot.RetryAfter, timeProvider, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MDES TPS cap {Limit}/s reached for TRID {TokenRequestorId}; interactive call refused, retry after {RetryAfterMs} ms")]
    private static partial void LogSlotRefused(ILogger logger, string tokenRequestorId, int limit, double retryAfterMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "MDES TPS limiter store unavailable for TRID {TokenRequestorId}")]
    private static partial void LogLimiterUnavailable(ILogger logger, Exception exception, string tokenRequestorId);
}
