using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardArt;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.Webhooks;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// Applies MDES's view of a token to ours. Each update runs in one transaction that locks the token's row
/// (<c>SELECT … FOR UPDATE</c>), so updates of one token apply one after another whatever the order they were
/// consumed in, and writes the merchant event into the outbox in that same transaction: a change is never
/// without its event, and an event never without its change.
/// </summary>
internal sealed partial class TokenUpdateApplier(
    GatewayDbContext db,
    CryptogramVault vault,
    CryptogramSource cryptograms,
    OwnQueues queues,
    TimeProvider clock,
    IOptions<NotificationOptions> options,
    ILogger<TokenUpdateApplier> logger)
{
    public const string SourceNotification = "notification";
    public const string SourceRefresh = "refresh";

    /// <summary>
    /// Processes one inbox row. Returns its new state, or null when it was already processed or another worker
    /// (consumer, sweeper, other replica) holds it right now; that worker finishes it.
    /// </summary>
    public async Task<string?> ApplyInboxAsync(long inboxId, CancellationToken cancellationToken)
    {
        // A DbContext reused across rows would hand back its cached (possibly outdated) token instead of the locked row.
        db.ChangeTracker.Clear();
        GatewayToken? token;
        MdesToken update;
        TokenUpdateOutcome outcome;
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

            token = await LockTokenAsync(entry.TokenUniqueReference, cancellationToken);
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

            update = JsonSerializer.Deserialize<MdesToken>(entry.Payload, MdesJson.Options)!;
            entry.GatewayTokenId = token.Id;
            entry.ProcessedAt = now;
            if (!TokenUpdateRules.NamesTokenRequestor(token, update))
            {
                // Kept as evidence ('rejected', purged with the history), never applied, no event.
                entry.State = NtuInboxStates.Rejected;
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogOtherTokenRequestor(entry.RequestId, token.Token, token.TokenRequestorId, update.TokenRequestorId is null ? "absent" : "other");
                NotificationMetrics.Processed(entry.State, entry.ReceivedAt, now);
                return entry.State;
            }

            // The inbox row keeps the timestamp as sent; the token gets it bounded by the receipt time.
            var statusTimestamp = TokenUpdateRules.ClampToReceipt(update.StatusTimestamp, entry.ReceivedAt, options.Value.MaxStatusTimestampAhead);
            if (statusTimestamp != update.StatusTimestamp)
            {
                LogFutureTimestampClamped(entry.RequestId, token.Token);
                update = update with { StatusTimestamp = statusTimestamp };
            }

            var before = TokenSnapshot.Of(token);
            outcome = TokenUpdateRules.Apply(token, update, now);
            // GetToken (merchant refresh, activation fallback, resync) may have told us this already: then it is no change
            // and no event, or the merchant would hear of one activation twice.
            entry.State = !outcome.Applied ? NtuInboxStates.Stale
                : outcome.Redigitized || !before.SameAs(token) ? NtuInboxStates.Applied
                : NtuInboxStates.Unchanged;
            if (entry.State == NtuInboxStates.Applied)
            {
                db.WebhookOutbox.Add(TokenUpdatedEvents.Create(token, update.EventReasonCode, SourceNotification, entry.Id, now));
                await Hyperswitch.HyperswitchWebhooks.AddForChangeAsync(db, token, now, cancellationToken);
            }

            if (outcome.PurgeCryptograms)
            {
                // Before commit: if the commit fails the purge only costs a Transact, while the reverse order could
                // leave a suspended token with usable cryptograms.
                await vault.PurgeAsync(entry.TokenUniqueReference);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogApplied(token.Token, entry.RequestId, entry.State, token.Status);
            NotificationMetrics.Processed(entry.State, entry.ReceivedAt, now);
            state = entry.State;
        }

        await AfterCommitAsync(token, outcome, cancellationToken);
        return state;
    }

    /// <summary>
    /// Applies a GetToken answer (merchant refresh, activation fallback, resync) obtained by a call made at
    /// <paramref name="askedAt"/>: authoritative over stored NTU timestamps (<see cref="TokenUpdateRules.IsStale"/>).
    /// An event is written only if something changed.
    /// </summary>
    public async Task<bool> ApplyRefreshAsync(Guid gatewayTokenId, MdesToken state, DateTimeOffset askedAt, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        GatewayToken? token;
        TokenUpdateOutcome outcome;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            token = (await db.GatewayTokens.FromSql($"SELECT *, xmin FROM gateway_tokens WHERE id = {gatewayTokenId} FOR UPDATE")
                .ToListAsync(cancellationToken)).SingleOrDefault();
            if (token is null)
            {
                return false;
            }

            var now = clock.GetUtcNow();
            var before = TokenSnapshot.Of(token);
            outcome = TokenUpdateRules.Apply(token, state with { EventReasonCode = null }, now, askedAt);
            var changed = outcome.Applied && !before.SameAs(token);
            if (changed)
            {
                db.WebhookOutbox.Add(TokenUpdatedEvents.Create(token, null, SourceRefresh, null, now));
                await Hyperswitch.HyperswitchWebhooks.AddForChangeAsync(db, token, now, cancellationToken);
                if (outcome.PurgeCryptograms)
                {
                    await vault.PurgeAsync(token.TokenUniqueReference!);
                }

                await db.SaveChangesAsync(cancellationToken);
            }

            await db.Database.ExecuteSqlAsync($"UPDATE gateway_tokens SET state_checked_at = {now} WHERE id = {gatewayTokenId}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (!changed)
            {
                return false;
            }
        }

        await AfterCommitAsync(token, outcome, cancellationToken);
        return true;
    }

    private async Task<GatewayToken?> LockTokenAsync(string tokenUniqueReference, CancellationToken cancellationToken) =>
        (await db.GatewayTokens.FromSql($"SELECT *, xmin FROM gateway_tokens WHERE token_unique_reference = {tokenUniqueReference} FOR UPDATE")
            .ToListAsync(cancellationToken)).SingleOrDefault();

    private async Task AfterCommitAsync(GatewayToken token, TokenUpdateOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Redigitized && token.Status == TokenStatuses.Active)
        {
            await RefreshTokenNumberAsync(token, cancellationToken);
        }

        if (outcome.NewAssetIds.Count > 0)
        {
            LogNewAssets(token.Token, outcome.NewAssetIds.Count);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await queues.SendAsync<PrefetchCardArtConsumer, TokenAssetsChanged>(
                    new TokenAssetsChanged(token.TokenUniqueReference!, token.TokenRequestorId, outcome.NewAssetIds), timeout.Token);
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
            var expiry = TokenUpdateRules.TokenExpiryFromApplicationExpiry(cryptogram.ApplicationExpiryDate) ?? token.TokenExpiry;
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

/// <summary>What a merchant can see of a token, to tell a real change from an update that repeats what we hold.</summary>
internal sealed record TokenSnapshot(string Fields, JsonElement? ProductConfig)
{
    public static TokenSnapshot Of(GatewayToken token) => new(FieldsOf(token), token.ProductConfig?.RootElement.Clone());

    /// <summary>Product config compared as JSON values: the stored jsonb comes back with its keys reordered.</summary>
    public bool SameAs(GatewayToken token) => Fields == FieldsOf(token) && (ProductConfig, token.ProductConfig?.RootElement) switch
    {
        (null, null) => true,
        ({ } held, { } now) => JsonElement.DeepEquals(held, now),
        _ => false,
    };

    // Not statusTimestamp: a newer timestamp for the same status and holders tells the merchant nothing new.
    private static string FieldsOf(GatewayToken token) => string.Join('|', token.Status, string.Join(',', token.SuspendedBy),
        token.PanSuffix, token.TokenPanSuffix, token.TokenExpiry, token.AccountPanExpiry, token.ProductCategory, token.ArchivedAt is null);
}
