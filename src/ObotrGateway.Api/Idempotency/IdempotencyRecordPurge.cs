using Microsoft.Extensions.Options;
using Npgsql;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Idempotency;

/// <summary>Forgets idempotency records (completed or abandoned) after the retention, hourly, in small batches.</summary>
internal sealed partial class IdempotencyRecordPurge(NpgsqlDataSource db, IOptions<IdempotencyOptions> options, TimeProvider clock,
    ILogger<IdempotencyRecordPurge> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(TimeSpan.FromHours(1), clock, PurgeOnceAsync, exception => LogPurgeFailed((exception as NpgsqlException)?.SqlState ?? exception.GetType().Name),
            stoppingToken);

    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var total = await RetentionPurges.DeleteInBatchesAsync(db, """
            DELETE FROM idempotency_records WHERE ctid IN (
                SELECT ctid FROM idempotency_records WHERE created_at < $1 LIMIT $2)
            """, clock.GetUtcNow() - options.Value.Retention, cancellationToken);
        if (total > 0)
        {
            LogPurged(total);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} idempotency records past retention")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency purge failed ({Failure}); retrying at the next interval")]
    private partial void LogPurgeFailed(string failure);
}
