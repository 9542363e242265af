using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.TokenStates;

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

    // A full batch: more may be due, so the next pass goes at once.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(options.Value.SweepInterval, clock, async cancellationToken => await SweepOnceAsync(cancellationToken) == BatchSize,
            exception => LogSweepFailed(exception.GetType().Name), stoppingToken);

    internal async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var store = scope.ServiceProvider.GetRequiredService<TokenStateStore>();
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
                processed += await store.ApplyNotificationAsync(id, cancellationToken) is null ? 0 : 1;
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
