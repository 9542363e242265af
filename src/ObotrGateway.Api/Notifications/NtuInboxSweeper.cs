using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// The backstop of the message hand-off: applies inbox rows nobody processed within
/// <c>Notifications:SweepAfter</c> (broker down, message lost, crash) and rows that waited for their TUR once
/// that token exists. Safe on several replicas: each row is claimed with FOR UPDATE SKIP LOCKED.
/// </summary>
internal sealed partial class NtuInboxSweeper(IServiceScopeFactory scopes, IOptions<NotificationOptions> options, TimeProvider clock,
    ILogger<NtuInboxSweeper> logger) : BackgroundService
{
    private const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SweepOnceAsync(stoppingToken) == BatchSize)
                {
                    // A full batch: more may be due, go on at once.
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(exception.GetType().Name);
            }

            try
            {
                await Task.Delay(options.Value.SweepInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var applier = scope.ServiceProvider.GetRequiredService<TokenUpdateApplier>();
        var cutoff = clock.GetUtcNow() - options.Value.SweepAfter;
        var due = await db.NtuInbox.AsNoTracking()
            .Where(entry => (entry.State == NtuInboxStates.Received && entry.ReceivedAt <= cutoff)
                || (entry.State == NtuInboxStates.Waiting && db.GatewayTokens.Any(token => token.TokenUniqueReference == entry.TokenUniqueReference)))
            .OrderBy(entry => entry.Id)
            .Select(entry => entry.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var processed = 0;
        foreach (var id in due)
        {
            try
            {
                // null: another worker holds the row right now and finishes it.
                processed += await applier.ApplyInboxAsync(id, cancellationToken) is null ? 0 : 1;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One row that cannot be applied now must not hold up the others; it is retried next sweep.
                LogRowFailed(id, exception.GetType().Name);
            }
        }

        if (processed > 0)
        {
            LogSwept(processed);
        }

        return processed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "NTU sweeper processed {Count} inbox rows")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NTU inbox row {InboxId} not applied ({ExceptionType}); retrying next sweep")]
    private partial void LogRowFailed(long inboxId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NTU sweep failed ({ExceptionType}); retrying next interval")]
    private partial void LogSweepFailed(string exceptionType);
}
