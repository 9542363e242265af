using Npgsql;

namespace ObotrGateway.Api.Persistence;

/// <summary>
/// What the retention jobs share: deleting in bounded batches, so no statement holds many row locks or runs long.
/// They run on <see cref="Hosting.PeriodicLoop"/> in every replica (their SKIP LOCKED batches need no leader election).
/// </summary>
internal static class RetentionPurges
{
    public const int BatchSize = 1000;

    /// <summary>
    /// Runs <paramref name="deleteSql"/> (taking the cutoff as $1 and the batch size as $2, deleting at most that many
    /// rows) until a batch comes back short; returns how many rows went in all.
    /// </summary>
    public static async Task<int> DeleteInBatchesAsync(NpgsqlDataSource dataSource, string deleteSql, DateTimeOffset cutoff,
        CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(deleteSql);
            command.Parameters.AddWithValue(cutoff);
            command.Parameters.AddWithValue(BatchSize);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }
        }
    }
}
