using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>The <c>GatewayTokens</c> section.</summary>
internal sealed class GatewayTokenOptions
{
    public const string Section = "GatewayTokens";

    /// <summary>A row whose Tokenize timed out (outcome unknown) is reconciled after this wait.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "GatewayTokens:ReconcileAfter must be 1 s to 1 day.")]
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// An unmarked PENDING row this old belongs to a process that died mid-Tokenize. Must exceed the longest a live
    /// Tokenize can take (TPS wait + Mdes:TotalTimeout), or a slow live request could be reconciled under its feet.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00", ErrorMessage = "GatewayTokens:CrashCutoff must be 10 s to 7 days.")]
    public TimeSpan CrashCutoff { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "GatewayTokens:ReconcileInterval must be 100 ms to 1 h.")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);
}

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReconcileOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(exception.GetType().Name);
            }
        }
    }

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
                status = (await mdes.GetTaskStatusAsync(new GetTaskStatusRequest { TaskId = token.TaskId },
                    new MdesCallContext(token.TokenRequestorId, MdesCallPriority.Batch), cancellationToken)).Status ?? "";
            }
            catch (MdesException exception) when (exception.ReasonCode == "INVALID_TASK_ID")
            {
                status = GetTaskStatusResponse.Failed;
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

            if (status == GetTaskStatusResponse.Failed)
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
