using Microsoft.Extensions.Options;
using Npgsql;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.TokenLifecycle;

/// <summary>
/// Removes deleted (archived) gateway tokens once they are older than <see cref="TokenLifecycleOptions.ArchiveRetention"/>.
/// Payments keep their rows; their link to the token is cleared by the foreign key (ON DELETE SET NULL, migration 0010).
/// Works in bounded batches with SKIP LOCKED, so several replicas can run it at once without blocking each other.
/// </summary>
internal sealed partial class ArchivedTokenPurge(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<ArchivedTokenPurge> logger)
{
    private const string PurgeSql = """
        WITH expired AS (
            SELECT id FROM gateway_tokens
            WHERE archived_at IS NOT NULL AND archived_at < $1
            ORDER BY archived_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        DELETE FROM gateway_tokens WHERE id IN (SELECT id FROM expired)
        """;

    /// <summary>Purges everything archived before now − <paramref name="retention"/>; returns how many rows went.</summary>
    public async Task<int> PurgeAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - retention;
        var total = await RetentionPurges.DeleteInBatchesAsync(dataSource, PurgeSql, cutoff, cancellationToken);
        if (total > 0)
        {
            LogPurged(total, cutoff);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} archived gateway tokens archived before {Cutoff}")]
    private partial void LogPurged(int count, DateTimeOffset cutoff);
}

/// <summary>Runs <see cref="ArchivedTokenPurge"/> every <see cref="TokenLifecycleOptions.PurgeInterval"/>.</summary>
internal sealed partial class ArchivedTokenPurgeService(
    ArchivedTokenPurge purge, IOptions<TokenLifecycleOptions> options, TimeProvider clock, ILogger<ArchivedTokenPurgeService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(options.Value.PurgeInterval, clock,
            cancellationToken => purge.PurgeAsync(options.Value.ArchiveRetention, cancellationToken), LogPurgeFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Archived token purge failed; retrying at the next interval")]
    private partial void LogPurgeFailed(Exception exception);
}
