using MassTransit;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>
/// The crash gaps around an upload that worker-message redelivery cannot cover: a job committed as running whose
/// process died before sending its workers gets them, and an upload that stopped storing batches (its process died
/// mid-stream) is failed with its stored cards deleted, so no encrypted card waits forever for a job that never runs.
/// Every replica runs it; claims and the one-statement fail make that safe.
/// </summary>
internal sealed partial class BulkJobRecovery(
    TokenizationJobStore store,
    BulkJobDispatcher dispatcher,
    IBus bus,
    IOptions<BulkTokenizationOptions> options,
    TimeProvider clock,
    ILogger<BulkJobRecovery> logger) : BackgroundService
{
    // Also once at start: a job stranded by the crash that restarted this replica is picked up without waiting an interval.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(options.Value.RecoveryInterval, clock,
            cancellationToken => RecoverOnceAsync(options.Value, cancellationToken), exception => LogRecoveryFailed(exception.GetType().Name),
            stoppingToken);

    internal async Task RecoverOnceAsync(BulkTokenizationOptions settings, CancellationToken cancellationToken)
    {
        var failed = await store.FailAbandonedUploadsAsync(settings.AbandonedUploadAfter, cancellationToken);
        if (failed > 0)
        {
            LogUploadsAbandoned(failed);
        }

        foreach (var (jobId, validLines) in await store.ClaimJobsWithoutWorkersAsync(settings.WorkersMissingAfter, cancellationToken))
        {
            try
            {
                await dispatcher.StartWorkersAsync(bus, jobId, (int)Math.Clamp(validLines, 1, settings.WorkersPerJob));
                LogWorkersResent(jobId);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Broker down: give the claim back so a later pass (here or on another replica) sends them.
                await store.MarkWorkersSentAsync(jobId, sent: false);
                LogWorkersNotSent(jobId, exception.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk recovery: {Count} stalled uploads failed and their stored cards deleted")]
    private partial void LogUploadsAbandoned(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk recovery: job {JobId} had no workers (crash after its upload); sent them")]
    private partial void LogWorkersResent(Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk recovery: workers of job {JobId} not sent ({ExceptionType}); will retry")]
    private partial void LogWorkersNotSent(Guid jobId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk recovery pass failed ({ExceptionType}); retrying at the next interval")]
    private partial void LogRecoveryFailed(string exceptionType);
}
