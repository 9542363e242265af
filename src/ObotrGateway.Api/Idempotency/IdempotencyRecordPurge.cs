using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ObotrGateway.Api.Idempotency;

/// <summary>The <c>Idempotency</c> section.</summary>
internal sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>How long a key is remembered; a retry after this executes again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Idempotency:Retention must be 1 minute to 30 days.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>Forgets idempotency records (completed or abandoned) after the retention, hourly, in small batches.</summary>
internal sealed partial class IdempotencyRecordPurge(NpgsqlDataSource db, IOptions<IdempotencyOptions> options, TimeProvider clock,
    ILogger<IdempotencyRecordPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await PurgeOnceAsync(stoppingToken);
            }
            catch (NpgsqlException exception)
            {
                LogPurgeFailed(exception.SqlState);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var purge = db.CreateCommand("""
                DELETE FROM idempotency_records WHERE ctid IN (
                    SELECT ctid FROM idempotency_records WHERE created_at < $1 LIMIT 1000)
                """);
            purge.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() - options.Value.Retention });
            var deleted = await purge.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < 1000)
            {
                if (total > 0)
                {
                    LogPurged(total);
                }

                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} idempotency records past retention")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency purge failed (SQLSTATE {SqlState})")]
    private partial void LogPurgeFailed(string? sqlState);
}
