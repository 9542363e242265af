using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.TokenStates;

/// <summary>
/// The one reader of a token's state at MDES (GetToken is authoritative; the guide recommends it over stored state).
/// What it reads is applied through <see cref="TokenStateStore"/> exactly as an NTU is: never regress, purge on
/// suspend, archive on delete, one merchant event per change (source <c>refresh</c>).
/// </summary>
internal sealed partial class TokenStateReader(GatewayDbContext db, IMdesClient mdes, IServiceScopeFactory scopes, TimeProvider clock,
    ILogger<TokenStateReader> logger)
{
    /// <summary>GetToken now, and when we asked (taken before the call: the answer is ordered by it).</summary>
    public async Task<(MdesTokenState? State, DateTimeOffset AskedAt)> ReadAsync(string tokenUniqueReference, string tokenRequestorId,
        MdesCallPriority priority, CancellationToken cancellationToken)
    {
        var askedAt = clock.GetUtcNow();
        var state = await mdes.GetTokenAsync(tokenUniqueReference, new MdesCallContext(tokenRequestorId, priority), cancellationToken);
        return (state, askedAt);
    }

    /// <summary>Reads the token at MDES and applies the answer; true when it changed. MDES failures are the caller's.</summary>
    public async Task<bool> RefreshAsync(GatewayToken token, MdesCallPriority priority, CancellationToken cancellationToken)
    {
        if (token.TokenUniqueReference is not { } tur)
        {
            return false;
        }

        var (state, askedAt) = await ReadAsync(tur, token.TokenRequestorId, priority, cancellationToken);
        if (state is null)
        {
            return false;
        }

        // Its own scope: the store locks the row in its own transaction and resets its change tracker, which must not
        // detach what the caller's DbContext is tracking (the token itself, a payment being built).
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TokenStateStore>().ApplyAnswerAsync(token.Id, state, askedAt, cancellationToken);
    }

    /// <summary>
    /// For when NTUs may have been missed (activation fallback, resync): GetTaskStatus first for a token still waiting for
    /// activation, then GetToken, as a batch caller (it waits for a TPS slot instead of taking one from merchants'
    /// interactive calls). An MDES failure is logged, not thrown. True when the token changed.
    /// </summary>
    public async Task<bool> CheckAsync(Guid gatewayTokenId, bool askTaskStatus, CancellationToken cancellationToken)
    {
        var token = await db.GatewayTokens.AsNoTracking().SingleOrDefaultAsync(row => row.Id == gatewayTokenId, cancellationToken);
        if (token?.TokenUniqueReference is null)
        {
            return false;
        }

        try
        {
            if (askTaskStatus)
            {
                var task = await mdes.GetTaskStatusAsync(token.TaskId, new MdesCallContext(token.TokenRequestorId, MdesCallPriority.Batch), cancellationToken);
                LogTaskStatus(token.Token, task ?? "unknown");
            }

            if (await RefreshAsync(token, MdesCallPriority.Batch, cancellationToken))
            {
                return true;
            }
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
        {
            LogCheckFailed(token.Token, exception.GetType().Name);
        }

        // Checked, even if unchanged or failed: the next check of this token waits its interval.
        await TokenStateStore.MarkCheckedAsync(db, gatewayTokenId, clock.GetUtcNow(), cancellationToken);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Activation check of {GatewayToken}: task {TaskStatus}")]
    private partial void LogTaskStatus(string gatewayToken, string taskStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "State check of {GatewayToken} at MDES failed ({ExceptionType})")]
    private partial void LogCheckFailed(string gatewayToken, string exceptionType);
}
