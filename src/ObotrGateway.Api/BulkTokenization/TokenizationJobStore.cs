using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using ObotrGateway.Api.Merchants;

namespace ObotrGateway.Api.BulkTokenization;

internal static class JobStatuses
{
    public const string Uploading = "uploading";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
}

internal static class ItemStatuses
{
    public const string Pending = "pending";
    public const string InProgress = "in_progress";
    public const string Provisioned = "provisioned";
    public const string Declined = "declined";
    public const string Ineligible = "ineligible";
    public const string SkippedIneligibleRange = "skipped_ineligible_range";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Invalid = "invalid";

    public static readonly string[] All =
        [Pending, InProgress, Provisioned, Declined, Ineligible, SkippedIneligibleRange, Rejected, Failed, Cancelled, Invalid];
}

internal sealed record JobRow(Guid Id, Guid MerchantId, string TokenRequestorId, string Status, string Format, byte[]? RequestFingerprint,
    long TotalLines, long InvalidLines, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? CancelRequestedAt);

internal sealed record ItemRow(long LineNumber, string? Reference, string Status, string? ReasonCode, string? PanSuffix, string? GatewayToken,
    DateTimeOffset? CompletedAt);

/// <summary>An item a worker holds: <c>PreviousTaskId</c> set means an earlier attempt may have reached MDES (reconcile first).</summary>
internal sealed record ClaimedItem(Guid JobId, long LineNumber, byte[]? EncryptedCard, string TaskId, Guid PendingTokenId,
    string? PreviousTaskId, Guid? PreviousTokenId, int Attempts);

/// <summary>
/// SQL for jobs and items, on raw Npgsql: set-based inserts (unnest of arrays, one statement per batch) and
/// <c>FOR UPDATE SKIP LOCKED</c> claims. Leases use the database clock, so replicas' clocks need not agree.
/// </summary>
internal sealed class TokenizationJobStore(NpgsqlDataSource db)
{
    public async Task<bool> TryCreateJobAsync(Guid jobId, CallingMerchant merchant, BulkFormat format, string? idempotencyKey, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO tokenization_jobs (id, merchant_id, token_requestor_id, status, format, idempotency_key, created_at)
            VALUES ($1, $2, $3, 'uploading', $4, $5, $6) ON CONFLICT DO NOTHING
            """);
        Add(command, jobId, merchant.MerchantId, merchant.TokenRequestorId, format == BulkFormat.Csv ? "csv" : "ndjson",
            (object?)idempotencyKey ?? DBNull.Value, now);
        return BulkMetrics.Job("created", await command.ExecuteNonQueryAsync(cancellationToken) == 1);
    }

    public Task<JobRow?> FindJobAsync(Guid merchantId, Guid jobId, CancellationToken cancellationToken) =>
        ReadJobAsync("merchant_id = $1 AND id = $2", cancellationToken, merchantId, jobId);

    public Task<JobRow?> FindJobByIdempotencyKeyAsync(Guid merchantId, string key, CancellationToken cancellationToken) =>
        ReadJobAsync("merchant_id = $1 AND idempotency_key = $2", cancellationToken, merchantId, key);

    public Task<JobRow?> FindJobAsync(Guid jobId, CancellationToken cancellationToken) => ReadJobAsync("id = $1", cancellationToken, jobId);

    private async Task<JobRow?> ReadJobAsync(string where, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = db.CreateCommand($"""
            SELECT id, merchant_id, token_requestor_id, status, format, request_fingerprint, total_lines, invalid_lines,
                   created_at, started_at, finished_at, cancel_requested_at
            FROM tokenization_jobs WHERE {where}
            """);
        Add(command, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new JobRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.IsDBNull(5) ? null : (byte[])reader[5], reader.GetInt64(6), reader.GetInt64(7), reader.GetFieldValue<DateTimeOffset>(8),
            NullableTime(reader, 9), NullableTime(reader, 10), NullableTime(reader, 11));
    }

    /// <summary>Inserts one batch; lines whose reference repeats an earlier line become invalid items. Returns the invalid count.</summary>
    /// <exception cref="UploadAbandonedException">The recovery pass already gave this upload up (it stalled too long).</exception>
    public async Task<long> InsertBatchAsync(Guid jobId, IReadOnlyList<BulkLine> lines, Func<BulkLine, byte[]> protect, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locks the job row for this batch: the recovery pass cannot fail the upload (and delete its cards) while cards
        // are going in, and once it has, no card goes in any more.
        await using (var alive = new NpgsqlCommand(
            "UPDATE tokenization_jobs SET upload_active_at = now() WHERE id = $1 AND status = 'uploading'", connection, transaction))
        {
            Add(alive, jobId);
            if (await alive.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw new UploadAbandonedException();
            }
        }

        var valid = lines.Where(line => line.Card is not null).ToList();
        var invalid = lines.Where(line => line.Card is null).ToList();
        if (valid.Count > 0)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO tokenization_job_items (job_id, line_number, reference, order_key, status, pan_suffix, encrypted_card)
                SELECT $1, l, r, o, 'pending', s, c FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bytea[]) AS t(l, r, o, s, c)
                ON CONFLICT (job_id, reference) WHERE status <> 'invalid' DO NOTHING
                RETURNING line_number
                """, connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = jobId });
            insert.Parameters.Add(new NpgsqlParameter { Value = valid.Select(line => line.LineNumber).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = valid.Select(line => line.Reference!).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = RandomOrderKeys(valid.Count) });
            insert.Parameters.Add(new NpgsqlParameter { Value = valid.Select(line => line.Card!.Pan[^4..]).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = valid.Select(protect).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            var inserted = new HashSet<long>();
            await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    inserted.Add(reader.GetInt64(0));
                }
            }

            invalid.AddRange(valid.Where(line => !inserted.Contains(line.LineNumber))
                .Select(line => new BulkLine(line.LineNumber, line.Reference, null, BulkLineReasons.DuplicateReference)));
        }

        if (invalid.Count > 0)
        {
            await using var rejects = new NpgsqlCommand("""
                INSERT INTO tokenization_job_items (job_id, line_number, reference, order_key, status, reason_code, completed_at)
                SELECT $1, l, r, 0, 'invalid', c, now() FROM unnest($2::bigint[], $3::text[], $4::text[]) AS t(l, r, c)
                """, connection, transaction);
            rejects.Parameters.Add(new NpgsqlParameter { Value = jobId });
            rejects.Parameters.Add(new NpgsqlParameter { Value = invalid.Select(line => line.LineNumber).ToArray() });
            rejects.Parameters.Add(new NpgsqlParameter { Value = invalid.Select(line => line.Reference).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            rejects.Parameters.Add(new NpgsqlParameter { Value = invalid.Select(line => line.ReasonCode!).ToArray() });
            await rejects.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return invalid.Count;
    }

    /// <summary>The upload is complete: the job runs. False when the recovery pass gave the upload up first.</summary>
    public async Task<bool> MarkUploadedAsync(Guid jobId, long totalLines, long invalidLines, byte[] fingerprint, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            UPDATE tokenization_jobs SET status = 'running', total_lines = $2, invalid_lines = $3, request_fingerprint = $4, started_at = now()
            WHERE id = $1 AND status = 'uploading'
            """);
        Add(command, jobId, totalLines, invalidLines, fingerprint);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task MarkWorkersSentAsync(Guid jobId, bool sent)
    {
        await using var command = db.CreateCommand(sent
            ? "UPDATE tokenization_jobs SET workers_sent_at = now() WHERE id = $1"
            : "UPDATE tokenization_jobs SET workers_sent_at = NULL WHERE id = $1");
        Add(command, jobId);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// Running jobs whose workers were never sent (the process died between committing the upload and sending them)
    /// for longer than <paramref name="after"/>; claimed (marked sent) so one replica sends them. Returns each job's
    /// number of valid lines, which bounds its worker count.
    /// </summary>
    public async Task<List<(Guid JobId, long ValidLines)>> ClaimJobsWithoutWorkersAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            UPDATE tokenization_jobs SET workers_sent_at = now()
            WHERE id IN (SELECT id FROM tokenization_jobs
                         WHERE status = 'running' AND workers_sent_at IS NULL AND started_at < now() - $1
                         ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED)
            RETURNING id, total_lines - invalid_lines
            """);
        Add(command, after);
        var jobs = new List<(Guid, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add((reader.GetGuid(0), reader.GetInt64(1)));
        }

        return jobs;
    }

    /// <summary>
    /// Uploads with no batch stored for longer than <paramref name="after"/> (their process died, or the client
    /// stalled): failed, and every card they stored deleted. Returns how many.
    /// </summary>
    /// <remarks>
    /// One statement: its UPDATE waits for a batch insert holding the job row and then re-checks the row, so an upload
    /// that just stored a batch is left alone, and the DELETE sees every batch committed before.
    /// </remarks>
    public async Task<int> FailAbandonedUploadsAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            WITH abandoned AS (
                UPDATE tokenization_jobs SET status = 'failed', idempotency_key = NULL, finished_at = now()
                WHERE status = 'uploading' AND COALESCE(upload_active_at, created_at) < now() - $1
                RETURNING id),
            wiped AS (DELETE FROM tokenization_job_items WHERE job_id IN (SELECT id FROM abandoned))
            SELECT count(*) FROM abandoned
            """);
        Add(command, after);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The upload broke off: the job does no work, and every card it stored is deleted.</summary>
    public async Task MarkUploadFailedAsync(Guid jobId)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM tokenization_job_items WHERE job_id = $1") { Parameters = { new() { Value = jobId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE tokenization_jobs SET status = 'failed', idempotency_key = NULL, finished_at = now() WHERE id = $1")
        {
            Parameters = { new() { Value = jobId } },
        });
        await batch.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>An empty upload leaves no trace.</summary>
    public async Task DeleteJobAsync(Guid jobId)
    {
        await using var command = db.CreateCommand("DELETE FROM tokenization_jobs WHERE id = $1");
        Add(command, jobId);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    public async Task<Dictionary<string, long>> CountsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT status, count(*) FROM tokenization_job_items WHERE job_id = $1 GROUP BY status");
        Add(command, jobId);
        var counts = ItemStatuses.All.ToDictionary(status => status, _ => 0L);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>MDES calls per second over the last <paramref name="window"/> (items whose outcome came from a call).</summary>
    public async Task<double> RecentRateAsync(Guid jobId, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT count(*) FROM tokenization_job_items WHERE job_id = $1 AND mdes_called AND completed_at > now() - $2");
        Add(command, jobId, window);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! / window.TotalSeconds;
    }

    public async Task<List<ItemRow>> ItemsAsync(Guid jobId, string? status, long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT line_number, reference, status, reason_code, pan_suffix, gateway_token, completed_at FROM tokenization_job_items
            WHERE job_id = $1 AND ($2::text IS NULL OR status = $2) AND line_number > $3 ORDER BY line_number LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = jobId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var items = new List<ItemRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ItemRow(reader.GetInt64(0), NullableString(reader, 1), reader.GetString(2), NullableString(reader, 3),
                NullableString(reader, 4), NullableString(reader, 5), NullableTime(reader, 6)));
        }

        return items;
    }

    /// <summary>Pending items that never reached MDES become cancelled (card wiped); in-flight ones finish.</summary>
    public async Task CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "UPDATE tokenization_jobs SET cancel_requested_at = coalesce(cancel_requested_at, now()) WHERE id = $1 AND status IN ('uploading', 'running')")
        {
            Parameters = { new() { Value = jobId } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(CancelPendingSql) { Parameters = { new() { Value = jobId } } });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string CancelPendingSql = """
        UPDATE tokenization_job_items SET status = 'cancelled', reason_code = 'cancelled', encrypted_card = NULL, completed_at = now()
        WHERE job_id = $1 AND status = 'pending' AND task_id IS NULL
        """;

    public async Task<ClaimedItem?> ClaimAsync(Guid jobId, Guid claimId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var taskId = Guid.NewGuid().ToString("N");
        var pendingTokenId = Guid.CreateVersion7();
        await using var command = db.CreateCommand("""
            WITH next AS (
                SELECT job_id, line_number, task_id AS previous_task_id, gateway_token_id AS previous_token_id FROM tokenization_job_items
                WHERE job_id = $1 AND ((status = 'pending' AND (not_before IS NULL OR not_before <= now())) OR (status = 'in_progress' AND lease_until < now()))
                ORDER BY order_key LIMIT 1 FOR UPDATE SKIP LOCKED)
            UPDATE tokenization_job_items i SET status = 'in_progress', claim_id = $2, lease_until = now() + $3, attempts = i.attempts + 1,
                task_id = coalesce(i.task_id, $4), gateway_token_id = coalesce(i.gateway_token_id, $5)
            FROM next WHERE i.job_id = next.job_id AND i.line_number = next.line_number
            RETURNING i.line_number, i.encrypted_card, i.task_id, i.gateway_token_id, next.previous_task_id, next.previous_token_id, i.attempts
            """);
        Add(command, jobId, claimId, lease, taskId, pendingTokenId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ClaimedItem(jobId, reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader[1], reader.GetString(2), reader.GetGuid(3),
            NullableString(reader, 4), reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.GetInt32(6));
    }

    /// <summary>Pushes a held item's lease one full lease ahead; false when the claim is no longer ours (the item moved on).</summary>
    public async Task<bool> ExtendLeaseAsync(ClaimedItem item, Guid claimId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "UPDATE tokenization_job_items SET lease_until = now() + $4 WHERE job_id = $1 AND line_number = $2 AND claim_id = $3 AND status = 'in_progress'");
        Add(command, item.JobId, item.LineNumber, claimId, lease);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A fresh attempt after reconciliation found that the earlier one never reached MDES: new ids, written before the call.</summary>
    public async Task<bool> RenewAttemptAsync(ClaimedItem item, Guid claimId, string taskId, Guid pendingTokenId)
    {
        await using var command = db.CreateCommand(
            "UPDATE tokenization_job_items SET task_id = $4, gateway_token_id = $5 WHERE job_id = $1 AND line_number = $2 AND claim_id = $3");
        Add(command, item.JobId, item.LineNumber, claimId, taskId, pendingTokenId);
        return await command.ExecuteNonQueryAsync(CancellationToken.None) == 1;
    }

    /// <summary>Records the outcome and wipes the card in one statement: an item is never done with its card still stored.</summary>
    public async Task<bool> CompleteAsync(ClaimedItem item, Guid claimId, string status, string? reasonCode, string? gatewayToken, bool mdesCalled)
    {
        await using var command = db.CreateCommand("""
            UPDATE tokenization_job_items SET status = $4, reason_code = $5, gateway_token = $6, mdes_called = $7, encrypted_card = NULL,
                completed_at = now(), lease_until = NULL, claim_id = NULL, task_id = CASE WHEN $4 = 'provisioned' THEN task_id END,
                gateway_token_id = CASE WHEN $4 = 'provisioned' THEN gateway_token_id END
            WHERE job_id = $1 AND line_number = $2 AND claim_id = $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = item.JobId });
        command.Parameters.Add(new NpgsqlParameter { Value = item.LineNumber });
        command.Parameters.Add(new NpgsqlParameter { Value = claimId });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reasonCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)gatewayToken ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = mdesCalled });
        return BulkMetrics.ItemSettled(status, await command.ExecuteNonQueryAsync(CancellationToken.None) == 1);
    }

    /// <summary>
    /// Gives an item back for a later attempt. <paramref name="mayHaveReachedMdes"/> keeps its taskId so the next attempt reconciles;
    /// otherwise the ids are cleared, and a cancelled job's item is cancelled instead.
    /// </summary>
    public async Task ReleaseAsync(ClaimedItem item, Guid claimId, TimeSpan delay, bool mayHaveReachedMdes, bool countAttempt = true)
    {
        await using var command = db.CreateCommand("""
            UPDATE tokenization_job_items i SET
                status = CASE WHEN $4 OR j.cancel_requested_at IS NULL THEN 'pending' ELSE 'cancelled' END,
                reason_code = CASE WHEN $4 OR j.cancel_requested_at IS NULL THEN NULL ELSE 'cancelled' END,
                encrypted_card = CASE WHEN $4 OR j.cancel_requested_at IS NULL THEN i.encrypted_card END,
                completed_at = CASE WHEN $4 OR j.cancel_requested_at IS NULL THEN NULL ELSE now() END,
                task_id = CASE WHEN $4 THEN i.task_id END, gateway_token_id = CASE WHEN $4 THEN i.gateway_token_id END,
                not_before = now() + $5, lease_until = NULL, claim_id = NULL, attempts = i.attempts - CASE WHEN $6 THEN 0 ELSE 1 END
            FROM tokenization_jobs j
            WHERE j.id = i.job_id AND i.job_id = $1 AND i.line_number = $2 AND i.claim_id = $3
            """);
        Add(command, item.JobId, item.LineNumber, claimId, mayHaveReachedMdes, delay, countAttempt);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
        BulkMetrics.ItemHandedBack();
    }

    /// <summary>Items not yet done (pending, waiting to retry, or held by a worker, maybe a dead one).</summary>
    public async Task<long> RemainingAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT count(*) FROM tokenization_job_items WHERE job_id = $1 AND status IN ('pending', 'in_progress')");
        Add(command, jobId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>True for exactly one caller: the one that moved the job from running to its final state.</summary>
    public async Task<bool> TryFinishAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            UPDATE tokenization_jobs SET status = CASE WHEN cancel_requested_at IS NULL THEN 'completed' ELSE 'cancelled' END, finished_at = now()
            WHERE id = $1 AND status = 'running'
              AND NOT EXISTS (SELECT 1 FROM tokenization_job_items WHERE job_id = $1 AND status IN ('pending', 'in_progress'))
            """);
        Add(command, jobId);
        return BulkMetrics.Job("finished", await command.ExecuteNonQueryAsync(cancellationToken) == 1);
    }

    public async Task CancelPendingAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(CancelPendingSql);
        Add(command, jobId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Not secret, but the analyzers rightly refuse System.Random in this codebase; the cost is negligible per batch.</summary>
    private static long[] RandomOrderKeys(int count)
    {
        var keys = new long[count];
        RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(keys.AsSpan()));
        return keys;
    }

    private static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}

/// <summary>The recovery pass gave this upload up (no batch stored for too long); nothing more of it is stored.</summary>
internal sealed class UploadAbandonedException() : Exception("The upload was given up after stalling; nothing more of it is stored.");
