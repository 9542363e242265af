using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardArt;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Notifications;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.Webhooks;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.TokenStates;

/// <summary>
/// Writes what <see cref="TokenTransitions"/> decided. Each report is applied in one transaction that locks the token's
/// row (<c>SELECT … FOR UPDATE</c>), so reports of one token apply one after another whatever the order they arrive in,
/// and writes the merchant event into the outbox in that same transaction: a change is never without its event, and an
/// event never without its change. Cryptograms are purged before the commit: if the commit fails the purge only costs a
/// Transact, while the reverse order could leave a suspended token with usable cryptograms (ADR 0402).
/// </summary>
internal sealed partial class TokenStateStore(
    GatewayDbContext db,
    CryptogramVault vault,
    CryptogramSource cryptograms,
    OwnQueues queues,
    TimeProvider clock,
    IOptions<NotificationOptions> options,
    ILogger<TokenStateStore> logger)
{
    /// <summary>
    /// Processes one NTU inbox row. Returns its new state, or null when it was already processed or another worker
    /// (consumer, sweeper, other replica) holds it right now; that worker finishes it.
    /// </summary>
    public async Task<string?> ApplyNotificationAsync(long inboxId, CancellationToken cancellationToken)
    {
        // A DbContext reused across rows would hand back its cached (possibly outdated) token instead of the locked row.
        db.ChangeTracker.Clear();
        GatewayToken? token;
        TokenTransition transition;
        string state;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var entry = (await db.NtuInbox
                .FromSql($"SELECT * FROM ntu_inbox WHERE id = {inboxId} AND state IN ('received', 'waiting') FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken)).SingleOrDefault();
            if (entry is null)
            {
                return null;
            }

            token = await LockAsync($"SELECT *, xmin FROM gateway_tokens WHERE token_unique_reference = {entry.TokenUniqueReference} FOR UPDATE",
                cancellationToken);
            var now = clock.GetUtcNow();
            if (token is null)
            {
                // Activation can overtake the tokenize response: keep it until the TUR is stored, never drop it.
                entry.State = NtuInboxStates.Waiting;
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                NotificationMetrics.Processed(entry.State, entry.ReceivedAt, now);
                return entry.State;
            }

            // The inbox row keeps the update (and its timestamp) as sent; the token gets what the rules make of it.
            var update = MdesNotifications.ReadStoredUpdate(entry.Payload);
            entry.GatewayTokenId = token.Id;
            entry.ProcessedAt = now;
            transition = TokenTransitions.Apply(token, TokenReport.Notified(update, entry.ReceivedAt, options.Value.MaxStatusTimestampAhead), now);
            if (transition.TimestampClamped)
            {
                LogFutureTimestampClamped(entry.RequestId, token.Token);
            }

            entry.State = transition.Verdict switch
            {
                TokenVerdict.Rejected => NtuInboxStates.Rejected,
                TokenVerdict.Stale => NtuInboxStates.Stale,
                TokenVerdict.Unchanged => NtuInboxStates.Unchanged,
                _ => NtuInboxStates.Applied,
            };
            if (transition.Verdict == TokenVerdict.Rejected)
            {
                // Kept as evidence ('rejected', purged with the history), never applied, no event.
                LogOtherTokenRequestor(entry.RequestId, token.Token, token.TokenRequestorId, update.TokenRequestorId is null ? "absent" : "other");
            }

            await RecordAsync(token, transition, update.EventReasonCode, entry.Id, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (transition.Verdict != TokenVerdict.Rejected)
            {
                LogApplied(token.Token, entry.RequestId, entry.State, token.Status);
            }

            NotificationMetrics.Processed(entry.State, entry.ReceivedAt, now);
            state = entry.State;
        }

        await AfterCommitAsync(token, transition, cancellationToken);
        return state;
    }

    /// <summary>
    /// Applies a GetToken answer (merchant refresh, payment check, activation fallback, resync) obtained by a call made at
    /// <paramref name="askedAt"/>, and records that the token's state was confirmed now. True when something changed.
    /// </summary>
    public async Task<bool> ApplyAnswerAsync(Guid gatewayTokenId, MdesTokenState answer, DateTimeOffset askedAt, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        GatewayToken? token;
        TokenTransition transition;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            token = await LockAsync($"SELECT *, xmin FROM gateway_tokens WHERE id = {gatewayTokenId} FOR UPDATE", cancellationToken);
            if (token is null)
            {
                return false;
            }

            var now = clock.GetUtcNow();
            transition = TokenTransitions.Apply(token, TokenReport.Answered(answer, askedAt), now);
            await RecordAsync(token, transition, null, null, now);
            await db.SaveChangesAsync(cancellationToken);
            await MarkCheckedAsync(db, gatewayTokenId, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await AfterCommitAsync(token, transition, cancellationToken);
        return transition.Verdict == TokenVerdict.Changed;
    }

    /// <summary>
    /// Applies MDES's answers to our own lifecycle calls to the tracked <paramref name="rows"/> (a null report leaves a row
    /// as it is). The rows are locked in id order (the order every multi-row writer uses; NTUs lock one row at a time,
    /// ADR 0402) and re-read under the lock, so an NTU that wrote a row after it was loaded waits, or is what we decide on.
    /// MDES already changed: recorded even if the caller left.
    /// </summary>
    public async Task ApplyLifecycleAsync(IReadOnlyCollection<GatewayToken> rows, Func<GatewayToken, TokenReport?> reportOf)
    {
        var transitions = new List<(GatewayToken Row, TokenTransition Transition)>();
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            var ids = rows.Select(row => row.Id).Order().ToArray();
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM gateway_tokens WHERE id = ANY({ids}) ORDER BY id FOR UPDATE", CancellationToken.None);
            var now = clock.GetUtcNow();
            foreach (var row in rows)
            {
                await db.Entry(row).ReloadAsync(CancellationToken.None);
                if (reportOf(row) is { } report)
                {
                    var transition = TokenTransitions.Apply(row, report, now);
                    await RecordAsync(row, transition, null, null, now);
                    transitions.Add((row, transition));
                }
            }

            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        foreach (var (row, transition) in transitions)
        {
            await AfterCommitAsync(row, transition, CancellationToken.None);
        }
    }

    /// <summary>Confirmed at MDES now (even if unchanged or the call failed): the next check of this token waits its interval.</summary>
    public static Task MarkCheckedAsync(GatewayDbContext db, Guid gatewayTokenId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"UPDATE gateway_tokens SET state_checked_at = {now} WHERE id = {gatewayTokenId}", cancellationToken);

    private async Task<GatewayToken?> LockAsync(FormattableString sql, CancellationToken cancellationToken) =>
        (await db.GatewayTokens.FromSql(sql).ToListAsync(cancellationToken)).SingleOrDefault();

    /// <summary>The event (one per change, in this transaction) and the purge the transition asks for.</summary>
    private async Task RecordAsync(GatewayToken token, TokenTransition transition, string? reason, long? inboxId, DateTimeOffset now)
    {
        if (transition.Event is { } source)
        {
            db.WebhookOutbox.Add(TokenUpdatedEvents.Create(token, reason, source, inboxId, now));
            // A Hyperswitch-linked token whose token or card expiry moved also tells Hyperswitch (docs/hyperswitch.md).
            await Hyperswitch.HyperswitchWebhooks.AddForChangeAsync(db, token, now, CancellationToken.None);
        }

        if (transition.PurgeCryptograms)
        {
            await vault.PurgeAsync(token.TokenUniqueReference!);
        }
    }

    private async Task AfterCommitAsync(GatewayToken token, TokenTransition transition, CancellationToken cancellationToken)
    {
        if (transition.Redigitized && token.Status == TokenStatuses.Active)
        {
            await RefreshTokenNumberAsync(token, cancellationToken);
        }

        if (transition.NewAssetIds.Count > 0)
        {
            LogNewAssets(token.Token, transition.NewAssetIds.Count);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await queues.SendAsync<PrefetchCardArtConsumer, TokenAssetsChanged>(
                    new TokenAssetsChanged(token.TokenUniqueReference!, token.TokenRequestorId, transition.NewAssetIds), timeout.Token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Card art is fetched on first use as well; a missed hint must not undo or block the applied change.
                LogAssetsNotPublished(token.Token, exception.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Redigitization gave the token a new number: Transact once for its suffix and expiry (the number itself is
    /// never stored in clear), and keep the cryptogram in the vault rather than waste it.
    /// </summary>
    private async Task RefreshTokenNumberAsync(GatewayToken token, CancellationToken cancellationToken)
    {
        var tur = token.TokenUniqueReference!;
        try
        {
            var generation = await vault.GenerationAsync(tur);
            var cryptogram = await cryptograms.TransactAsync(tur, token.TokenRequestorId, MdesCallPriority.Batch, cancellationToken);
            var suffix = cryptogram.TokenNumber[^4..];
            var expiry = MdesCryptogram.TokenExpiryOf(cryptogram.ApplicationExpiryDate) ?? token.TokenExpiry;
            await db.GatewayTokens.Where(row => row.Id == token.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(row => row.TokenPanSuffix, suffix).SetProperty(row => row.TokenExpiry, expiry),
                    cancellationToken);
            await vault.AddAsync(tur, generation, cryptogram);
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException or InvalidOperationException)
        {
            // The restart flag is set already; the next payment Transacts inline and gets the new number then.
            LogRedigitizationTransactFailed(token.Token, exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token update {RequestId} for {GatewayToken}: {InboxState}, status {Status}")]
    private partial void LogApplied(string gatewayToken, string requestId, string inboxState, string status);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "NTU {RequestId} for {GatewayToken} rejected: its tokenRequestorId is {NtuTrid}, the token's is {TokenRequestorId}")]
    private partial void LogOtherTokenRequestor(string requestId, string gatewayToken, string tokenRequestorId, string ntuTrid);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "NTU {RequestId} for {GatewayToken}: statusTimestamp beyond Notifications:MaxStatusTimestampAhead, applied as of its receipt")]
    private partial void LogFutureTimestampClamped(string requestId, string gatewayToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway token {GatewayToken} names {Count} new card art asset ids")]
    private partial void LogNewAssets(string gatewayToken, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "New asset ids of {GatewayToken} not published ({ExceptionType})")]
    private partial void LogAssetsNotPublished(string gatewayToken, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transact after redigitization of {GatewayToken} failed ({ExceptionType})")]
    private partial void LogRedigitizationTransactFailed(string gatewayToken, string exceptionType);
}
