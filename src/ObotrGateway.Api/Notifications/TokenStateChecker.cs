using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// Reads a token's state at MDES when NTUs may have been missed: GetTaskStatus (for a token still waiting for
/// activation) then GetToken, applied through <see cref="TokenUpdateApplier"/> so a change found this way gets
/// its merchant event like an NTU's. Always a batch caller: it waits for a TPS slot instead of taking one
/// from merchants' interactive calls.
/// </summary>
internal sealed partial class TokenStateChecker(GatewayDbContext db, IMdesClient mdes, TokenUpdateApplier applier, TimeProvider clock,
    ILogger<TokenStateChecker> logger)
{
    public async Task<bool> CheckAsync(Guid gatewayTokenId, bool askTaskStatus, CancellationToken cancellationToken)
    {
        var token = await db.GatewayTokens.AsNoTracking().SingleOrDefaultAsync(row => row.Id == gatewayTokenId, cancellationToken);
        if (token?.TokenUniqueReference is not { } tur)
        {
            return false;
        }

        var call = new MdesCallContext(token.TokenRequestorId, MdesCallPriority.Batch);
        try
        {
            if (askTaskStatus)
            {
                var task = await mdes.GetTaskStatusAsync(new GetTaskStatusRequest { TokenRequestorId = token.TokenRequestorId, TaskId = token.TaskId },
                    call, cancellationToken);
                LogTaskStatus(token.Token, task.Status ?? "unknown");
            }

            var askedAt = clock.GetUtcNow();
            var response = await mdes.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = tur }, call, cancellationToken);
            if (response.Token is { } state)
            {
                return await applier.ApplyRefreshAsync(token.Id, state, askedAt, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
        {
            LogCheckFailed(token.Token, exception.GetType().Name);
        }

        // Checked, even if unchanged or failed: the next check of this token waits its interval.
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"UPDATE gateway_tokens SET state_checked_at = {now} WHERE id = {gatewayTokenId}", cancellationToken);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Activation check of {GatewayToken}: task {TaskStatus}")]
    private partial void LogTaskStatus(string gatewayToken, string taskStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "State check of {GatewayToken} at MDES failed ({ExceptionType})")]
    private partial void LogCheckFailed(string gatewayToken, string exceptionType);
}
