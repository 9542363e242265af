using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>
/// Keeps a claimed item's lease alive while its worker is on it: every third of <c>ItemLease</c> the lease is pushed
/// one full lease ahead (on the database clock). An item in a long wait for a TPS slot or for MDES is therefore never
/// taken over by a second worker while the first is alive, whatever the lease and timeouts; only a dead worker's
/// items run out and are reconciled. A failed extension (database blip) is logged and tried again on the next beat.
/// </summary>
internal sealed partial class ItemLeaseHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beats;

    private ItemLeaseHeartbeat(TokenizationJobStore store, ClaimedItem item, Guid claimId, TimeSpan lease, TimeProvider clock, ILogger logger)
    {
        _beats = PeriodicLoop.RunAsync(lease / 3, clock,
            async cancellationToken => await store.ExtendLeaseAsync(item, claimId, lease, cancellationToken),
            exception => LogExtensionFailed(logger, item.JobId, item.LineNumber, exception.GetType().Name),
            _stop.Token, firstPassAfterInterval: true);
    }

    public static ItemLeaseHeartbeat Start(TokenizationJobStore store, ClaimedItem item, Guid claimId, TimeSpan lease, TimeProvider clock, ILogger logger) =>
        new(store, item, claimId, lease, clock, logger);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _beats;
        }
        catch (Exception)
        {
            // Only a beat in flight when the stop came ends the loop this way (PeriodicLoop logs and survives any other
            // failure); the item's own write (complete, release) has already decided its lease.
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk job {JobId} line {LineNumber}: lease not extended ({ExceptionType}); retried on the next beat")]
    private static partial void LogExtensionFailed(ILogger logger, Guid jobId, long lineNumber, string exceptionType);
}
