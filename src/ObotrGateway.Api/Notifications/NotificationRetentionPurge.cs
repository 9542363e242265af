using Microsoft.Extensions.Options;
using Npgsql;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.Webhooks;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// Keeps the NTU inbox and the webhook outbox from growing forever. Deletes webhook events in a final state
/// (delivered, failed, no_webhook) created before <see cref="WebhookOptions.EventRetention"/>, their delivery log
/// going with them (ON DELETE CASCADE, migration 0021), and inbox rows applied or stale before
/// <see cref="NotificationOptions.InboxRetention"/>; an event that outlives its inbox row loses only the link
/// (ON DELETE SET NULL, migration 0022). Work still in flight — pending events, received NTUs — is never touched; an NTU
/// waiting for a TUR no token has is deleted after <see cref="NotificationOptions.WaitingRetention"/> (it names no token of ours). Bounded batches with SKIP LOCKED, like <see cref="TokenLifecycle.ArchivedTokenPurge"/>.
/// </summary>
internal sealed partial class NotificationRetentionPurge(
    NpgsqlDataSource dataSource,
    IOptions<NotificationOptions> notifications,
    IOptions<WebhookOptions> webhooks,
    TimeProvider clock,
    ILogger<NotificationRetentionPurge> logger)
{
    private const string PurgeEventsSql = """
        WITH expired AS (
            SELECT id FROM webhook_outbox
            WHERE state <> 'pending' AND created_at < $1
            ORDER BY created_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        DELETE FROM webhook_outbox WHERE id IN (SELECT id FROM expired)
        """;

    private const string PurgeInboxSql = """
        WITH expired AS (
            SELECT id FROM ntu_inbox
            WHERE state IN ('applied', 'unchanged', 'stale', 'rejected') AND processed_at < $1
            ORDER BY processed_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        DELETE FROM ntu_inbox WHERE id IN (SELECT id FROM expired)
        """;

    // Waiting rows name a TUR no gateway token had when they were processed: after WaitingRetention it is not ours.
    private const string PurgeWaitingSql = """
        WITH expired AS (
            SELECT id FROM ntu_inbox
            WHERE state = 'waiting' AND received_at < $1
            ORDER BY received_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        DELETE FROM ntu_inbox WHERE id IN (SELECT id FROM expired)
        """;

    /// <summary>One retention pass over both tables; returns how many events and inbox rows (processed or waiting) went.</summary>
    public async Task<(int Events, int InboxRows)> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var eventCutoff = now - webhooks.Value.EventRetention;
        var events = await RetentionPurges.DeleteInBatchesAsync(dataSource, PurgeEventsSql, eventCutoff, cancellationToken);
        if (events > 0)
        {
            LogEventsPurged(events, eventCutoff);
        }

        var inboxCutoff = now - notifications.Value.InboxRetention;
        var inboxRows = await RetentionPurges.DeleteInBatchesAsync(dataSource, PurgeInboxSql, inboxCutoff, cancellationToken);
        if (inboxRows > 0)
        {
            LogInboxPurged(inboxRows, inboxCutoff);
        }

        var waitingCutoff = now - notifications.Value.WaitingRetention;
        var waitingRows = await RetentionPurges.DeleteInBatchesAsync(dataSource, PurgeWaitingSql, waitingCutoff, cancellationToken);
        if (waitingRows > 0)
        {
            LogWaitingPurged(waitingRows, waitingCutoff);
        }

        return (events, inboxRows + waitingRows);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} finished webhook events (and their delivery log) created before {Cutoff}")]
    private partial void LogEventsPurged(int count, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} processed NTU inbox rows processed before {Cutoff}")]
    private partial void LogInboxPurged(int count, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} NTU inbox rows received before {Cutoff} still waiting for an unknown TUR")]
    private partial void LogWaitingPurged(int count, DateTimeOffset cutoff);
}

/// <summary>Runs <see cref="NotificationRetentionPurge"/> every <see cref="NotificationOptions.PurgeInterval"/>.</summary>
internal sealed partial class NotificationRetentionPurgeService(
    NotificationRetentionPurge purge, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NotificationRetentionPurgeService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(options.Value.PurgeInterval, clock, purge.PurgeAsync, LogPurgeFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NTU inbox and webhook event purge failed; retrying at the next interval")]
    private partial void LogPurgeFailed(Exception exception);
}
