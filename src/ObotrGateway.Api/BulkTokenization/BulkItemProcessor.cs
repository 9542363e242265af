using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>
/// Takes one claimed item to its outcome. A fresh item goes through <see cref="CardTokenizer"/> (source
/// ACCOUNT_ON_FILE, batch priority: the shared TPS limiter makes it wait, never exceed). An item whose earlier
/// attempt may have reached MDES (its taskId was recorded before that call) is reconciled first, so it is never
/// tokenized twice: see ADR 0602 for the exact guarantee.
/// </summary>
internal sealed partial class BulkItemProcessor(
    TokenizationJobStore store,
    CardTokenizer tokenizer,
    IMdesClient mdes,
    OrphanAdopter adopter,
    GatewayDbContext db,
    BulkCardCodec cards,
    IneligibleRangeFilter ineligibleRanges,
    IOptions<BulkTokenizationOptions> options,
    ILogger<BulkItemProcessor> logger)
{
    private static readonly TimeSpan RangeProbeWait = TimeSpan.FromMilliseconds(200);

    public async Task ProcessAsync(CallingMerchant merchant, ClaimedItem item, Guid claimId, CancellationToken cancellationToken)
    {
        var card = item.EncryptedCard is null ? null : cards.Unprotect(item.JobId, item.LineNumber, item.EncryptedCard);
        if (card is null)
        {
            LogCardUnreadable(item.JobId, item.LineNumber);
            await store.CompleteAsync(item, claimId, ItemStatuses.Failed, "card_unreadable", null, mdesCalled: false);
            return;
        }

        var taskId = item.TaskId;
        var pendingId = item.PendingTokenId;
        if (item.PreviousTaskId is not null)
        {
            var reconciled = await ReconcileAsync(merchant, item, claimId, card, cancellationToken);
            if (reconciled)
            {
                return;
            }

            // The earlier attempt never reached MDES: a fresh one, with new ids recorded before the call.
            taskId = Guid.NewGuid().ToString("N");
            pendingId = Guid.CreateVersion7();
            if (!await store.RenewAttemptAsync(item, claimId, taskId, pendingId))
            {
                return; // our lease was taken over
            }
        }

        switch (await ineligibleRanges.CheckAsync(item.JobId, card.Pan, claimId))
        {
            case RangeVerdict.Ineligible:
                await store.CompleteAsync(item, claimId, ItemStatuses.SkippedIneligibleRange, "range_ineligible", null, mdesCalled: false);
                return;
            case RangeVerdict.Wait:
                await store.ReleaseAsync(item, claimId, RangeProbeWait, mayHaveReachedMdes: false, countAttempt: false);
                return;
        }

        var result = await tokenizer.TokenizeAsync(merchant, card, CardTokenizer.SourceOnFile, MdesCallPriority.Batch, cancellationToken, (pendingId, taskId));
        if (result is TokenizationResult.Unavailable)
        {
            await ineligibleRanges.ReleaseProbeAsync(item.JobId, card.Pan);
        }
        else
        {
            await ineligibleRanges.RecordAsync(item.JobId, card.Pan, ineligible: result is TokenizationResult.Ineligible);
        }

        switch (result)
        {
            case TokenizationResult.Provisioned provisioned:
                await store.CompleteAsync(item, claimId, ItemStatuses.Provisioned, null, provisioned.Token.Token, mdesCalled: true);
                break;
            case TokenizationResult.Declined:
                await store.CompleteAsync(item, claimId, ItemStatuses.Declined, "declined", null, mdesCalled: true);
                break;
            case TokenizationResult.Ineligible:
                await store.CompleteAsync(item, claimId, ItemStatuses.Ineligible, "PAN_INELIGIBLE", null, mdesCalled: true);
                break;
            case TokenizationResult.Rejected rejected:
                await store.CompleteAsync(item, claimId, ItemStatuses.Rejected, rejected.ReasonCode, null, mdesCalled: true);
                break;
            case TokenizationResult.Unavailable unavailable:
                await RetryLaterAsync(item, claimId, unavailable.RetryAfter, unavailable.OutcomeUnknown);
                break;
        }
    }

    /// <summary>
    /// True when the item is settled (adopted, declined, failed or handed back); false when MDES never saw the
    /// earlier attempt's taskId, so tokenizing now is the first Tokenize for this item.
    /// </summary>
    private async Task<bool> ReconcileAsync(CallingMerchant merchant, ClaimedItem item, Guid claimId, CardInput card, CancellationToken cancellationToken)
    {
        var pending = await db.GatewayTokens.SingleOrDefaultAsync(token => token.Id == item.PreviousTokenId, cancellationToken);
        if (pending is { TokenUniqueReference: not null } && pending.Status != TokenStatuses.Pending)
        {
            // Tokenize succeeded and was recorded on the token; only the item's own update was lost.
            LogReconciled(item.JobId, item.LineNumber, "adopted_recorded");
            await store.CompleteAsync(item, claimId, ItemStatuses.Provisioned, null, pending.Token, mdesCalled: true);
            return true;
        }

        var call = new MdesCallContext(merchant.TokenRequestorId, MdesCallPriority.Batch);
        string? taskStatus;
        try
        {
            taskStatus = await mdes.GetTaskStatusAsync(item.PreviousTaskId!, call, cancellationToken);
        }
        catch (MdesException exception) when (exception.ReasonCode == "INVALID_TASK_ID")
        {
            taskStatus = null; // MDES never saw this taskId
        }
        catch (MdesUnavailableException exception)
        {
            await RetryLaterAsync(item, claimId, exception.RetryAfter ?? TimeSpan.Zero, mayHaveReachedMdes: true);
            return true;
        }

        if (taskStatus is null)
        {
            await RemovePendingAsync(pending);
            LogReconciled(item.JobId, item.LineNumber, "not_sent");
            return false;
        }

        if (taskStatus == MdesTaskStatuses.Failed)
        {
            await RemovePendingAsync(pending);
            LogReconciled(item.JobId, item.LineNumber, "declined");
            await store.CompleteAsync(item, claimId, ItemStatuses.Declined, "declined", null, mdesCalled: true);
            return true;
        }

        // The token exists at MDES: find it by the PAN (still encrypted at rest until this item completes) and adopt it.
        IReadOnlyList<MdesTokenState> candidates;
        try
        {
            candidates = await adopter.UnclaimedAsync(card, merchant.TokenRequestorId, MdesCallPriority.Batch, cancellationToken);
        }
        catch (MdesUnavailableException exception)
        {
            await RetryLaterAsync(item, claimId, exception.RetryAfter ?? TimeSpan.Zero, mayHaveReachedMdes: true);
            return true;
        }

        if (pending is not null && candidates.Count == 0)
        {
            // The earlier attempt may still be running (its lease ran out while it waited for MDES or a TPS slot) and
            // have recorded its TUR since we read the row: then the token is known because it is ours.
            await db.Entry(pending).ReloadAsync(CancellationToken.None);
            if (pending is { TokenUniqueReference: not null } && pending.Status != TokenStatuses.Pending)
            {
                LogReconciled(item.JobId, item.LineNumber, "adopted_recorded");
                await store.CompleteAsync(item, claimId, ItemStatuses.Provisioned, null, pending.Token, mdesCalled: true);
                return true;
            }
        }

        if (pending is null || candidates.Count != 1)
        {
            // Left for an operator: the PENDING gateway token (if any) keeps the taskId.
            LogReconciled(item.JobId, item.LineNumber, "ambiguous");
            await store.CompleteAsync(item, claimId, ItemStatuses.Failed, "reconciliation_ambiguous", null, mdesCalled: true);
            return true;
        }

        if (!await adopter.AdoptAsync(pending, candidates[0]))
        {
            // Claimed by another row meanwhile: look again on the next attempt.
            await RetryLaterAsync(item, claimId, TimeSpan.Zero, mayHaveReachedMdes: true);
            return true;
        }

        LogReconciled(item.JobId, item.LineNumber, "adopted_searched");
        await store.CompleteAsync(item, claimId, ItemStatuses.Provisioned, null, pending.Token, mdesCalled: true);
        return true;
    }

    private async Task RetryLaterAsync(ClaimedItem item, Guid claimId, TimeSpan retryAfter, bool mayHaveReachedMdes)
    {
        if (item.Attempts >= options.Value.MaxAttempts && !mayHaveReachedMdes)
        {
            await store.CompleteAsync(item, claimId, ItemStatuses.Failed, "network_unavailable", null, mdesCalled: false);
            return;
        }

        var delay = retryAfter > options.Value.RetryDelay ? retryAfter : options.Value.RetryDelay;
        await store.ReleaseAsync(item, claimId, delay, mayHaveReachedMdes);
    }

    private async Task RemovePendingAsync(GatewayToken? pending)
    {
        if (pending is { Status: TokenStatuses.Pending })
        {
            db.GatewayTokens.Remove(pending);
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk job {JobId} line {LineNumber}: stored card cannot be decrypted")]
    private partial void LogCardUnreadable(Guid jobId, long lineNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk job {JobId} line {LineNumber}: earlier attempt reconciled ({Outcome})")]
    private partial void LogReconciled(Guid jobId, long lineNumber, string outcome);
}
