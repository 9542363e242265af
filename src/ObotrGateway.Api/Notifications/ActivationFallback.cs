using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.TokenStates;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// If no activation NTU arrived within <c>Notifications:ActivationCheckAfter</c> of tokenize, asks MDES
/// (GetTaskStatus, then GetToken). Tokens that stay INACTIVE are asked again every ActivationRecheckInterval
/// within ActivationCheckWindow. Tokens are claimed by moving state_checked_at with FOR UPDATE SKIP LOCKED, so
/// replicas do not ask twice.
/// </summary>
internal sealed partial class ActivationFallback(IServiceScopeFactory scopes, IOptions<NotificationOptions> options, TimeProvider clock,
    ILogger<ActivationFallback> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(TimeSpan.FromTicks(Math.Max(options.Value.ActivationCheckAfter.Ticks / 2, TimeSpan.FromMilliseconds(100).Ticks)), clock,
            CheckDueAsync, exception => LogFailed(exception.GetType().Name), stoppingToken);

    private async Task CheckDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var reader = scope.ServiceProvider.GetRequiredService<TokenStateReader>();
        var now = clock.GetUtcNow();
        var createdBefore = now - options.Value.ActivationCheckAfter;
        var createdAfter = now - options.Value.ActivationCheckWindow;
        var checkedBefore = now - options.Value.ActivationRecheckInterval;
        var due = await db.Database.SqlQuery<Guid>($"""
            UPDATE gateway_tokens SET state_checked_at = {now}
            WHERE id IN (SELECT id FROM gateway_tokens
                         WHERE status = 'INACTIVE' AND token_unique_reference IS NOT NULL AND archived_at IS NULL
                           AND created_at <= {createdBefore} AND created_at >= {createdAfter}
                           AND (state_checked_at IS NULL OR state_checked_at <= {checkedBefore})
                         ORDER BY created_at LIMIT 20 FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            var changed = await reader.CheckAsync(id, askTaskStatus: true, cancellationToken);
            LogChecked(id, changed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No activation NTU for token {GatewayTokenId} in time: checked at MDES, changed {Changed}")]
    private partial void LogChecked(Guid gatewayTokenId, bool changed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activation fallback pass failed ({ExceptionType})")]
    private partial void LogFailed(string exceptionType);
}
