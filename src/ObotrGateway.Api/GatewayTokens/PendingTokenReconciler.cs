using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>
/// Settles PENDING gateway tokens whose Tokenize outcome is unknown, by their taskId: FAILED (or a taskId MDES
/// never saw) → MDES made no token, the row goes; PENDING/IN_PROGRESS/COMPLETED → MDES has (or will have) a token
/// we cannot name without the PAN, so the row is marked orphan_suspected and adopted by <see cref="CardTokenizer"/>
/// when the merchant next adds the same card. Safe with several replicas: each row is settled under a row lock.
/// </summary>
internal sealed partial class PendingTokenReconciler(
    IServiceScopeFactory scopes,
    IOptions<GatewayTokenOptions> options,
    TimeProvider clock,
    ILogger<PendingTokenReconciler> logger) : BackgroundService
{
    public const string OutcomeUnknown = "outcome_unknown";
    public const string OrphanSuspected = "orphan_suspected";

    // First pass after one interval: nothing here is urgent (rows wait ReconcileAfter or CrashCutoff anyway), and replicas
    // restarting together should not all ask GetTaskStatus at once.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(options.Value.ReconcileInterval, clock, ReconcileOnceAsync, exception => LogPassFailed(exception.GetType().Name),
            stoppingToken, firstPassAfterInterval: true);

    public async Task<int> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var mdes = scope.ServiceProvider.GetRequiredService<IMdesClient>();
        var timedOut = clock.GetUtcNow() - options.Value.ReconcileAfter;
        var crashed = clock.GetUtcNow() - options.Value.CrashCutoff;
        var candidates = await db.GatewayTokens.AsNoTracking()
            .Where(token => token.Status == TokenStatuses.Pending
                && ((token.Reconciliation == OutcomeUnknown && token.UpdatedAt < timedOut) || (token.Reconciliation == null && token.CreatedAt < crashed)))
            .OrderBy(token => token.CreatedAt).Select(token => token.Id).Take(100).ToListAsync(cancellationToken);
        var settled = 0;
        foreach (var id in candidates)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var token = await db.GatewayTokens.FromSqlInterpolated(
                    $"SELECT *, xmin FROM gateway_tokens WHERE id = {id} AND status = 'PENDING' AND (reconciliation IS NULL OR reconciliation = 'outcome_unknown') FOR UPDATE SKIP LOCKED")
                .SingleOrDefaultAsync(cancellationToken);
            if (token is null)
            {
                continue;
            }

            string status;
            try
            {
                status = await mdes.GetTaskStatusAsync(token.TaskId, new MdesCallContext(token.TokenRequestorId, MdesCallPriority.Batch),
                    cancellationToken) ?? "";
            }
            catch (MdesException exception) when (exception.ReasonCode == "INVALID_TASK_ID")
            {
                status = MdesTaskStatuses.Failed;
            }
            catch (MdesUnavailableException)
            {
                continue; // try again on the next pass
            }
            catch (MdesException exception)
            {
                LogTaskStatusRefused(token.Token, exception.ReasonCode); // one bad row must not stop the rest
                continue;
            }

            if (status == MdesTaskStatuses.Failed)
            {
                db.GatewayTokens.Remove(token);
                LogNoTokenAtMdes(token.Token);
            }
            else
            {
                token.Reconciliation = OrphanSuspected;
                token.ReconciledAt = clock.GetUtcNow();
                LogOrphanSuspected(token.Token, status);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            settled++;
        }

        return settled;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pending {GatewayToken}: MDES made no token; removed")]
    private partial void LogNoTokenAtMdes(string gatewayToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending {GatewayToken}: MDES task is {TaskStatus}; kept for adoption when the card is added again")]
    private partial void LogOrphanSuspected(string gatewayToken, string taskStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending {GatewayToken}: GetTaskStatus refused ({ReasonCode}); retried next pass")]
    private partial void LogTaskStatusRefused(string gatewayToken, string reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending-token reconciliation pass failed ({ExceptionType})")]
    private partial void LogPassFailed(string exceptionType);
}
