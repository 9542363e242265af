using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.TokenStates;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>What became of a tokenization attempt.</summary>
internal abstract record TokenizationResult
{
    public sealed record Provisioned(GatewayToken Token) : TokenizationResult;

    public sealed record Declined : TokenizationResult;

    public sealed record Ineligible : TokenizationResult;

    /// <summary>MDES rejected the card's data (e.g. INVALID_PAN); retrying the same card will not help.</summary>
    public sealed record Rejected(string ReasonCode) : TokenizationResult;

    /// <summary>MDES unreachable, over our TPS cap, or failing. Nothing was stored unless the outcome is unknown.</summary>
    public sealed record Unavailable(TimeSpan RetryAfter, bool OutcomeUnknown) : TokenizationResult;
}

/// <summary>
/// Card → MDES token under the merchant's TRID → gateway token. A PENDING row is written before Tokenize so
/// that a crash or a timeout after MDES answered leaves a record to reconcile (by taskId) instead of an
/// orphan MDES token nobody knows about; a definite failure removes the row again, so nothing is half-stored.
/// </summary>
internal sealed partial class CardTokenizer(
    GatewayDbContext db,
    IMdesClient mdes,
    OrphanAdopter adopter,
    PanFingerprint fingerprints,
    TimeProvider clock,
    ILogger<CardTokenizer> logger)
{
    public const string SourceAddedManually = "ACCOUNT_ADDED_MANUALLY";
    public const string SourceOnFile = "ACCOUNT_ON_FILE";

    public async Task<TokenizationResult> TokenizeAsync(CallingMerchant merchant, CardInput card, string source,
        MdesCallPriority priority, CancellationToken cancellationToken, (Guid Id, string TaskId)? pendingIdentity = null)
    {
        if (await AdoptOrphanAsync(merchant, card, priority) is { } adopted)
        {
            return new TokenizationResult.Provisioned(adopted);
        }

        var now = clock.GetUtcNow();
        var pending = new GatewayToken
        {
            // A bulk job chooses (and records) these before the call, so a crash can be reconciled by taskId.
            Id = pendingIdentity?.Id ?? Guid.CreateVersion7(now),
            Token = GatewayToken.NewToken(),
            MerchantId = merchant.MerchantId,
            TokenRequestorId = merchant.TokenRequestorId,
            TaskId = pendingIdentity?.TaskId ?? Guid.NewGuid().ToString("N"),
            Source = source,
            Status = TokenStatuses.Pending,
            PanSuffix = CardValidation.PanSuffix(card.Pan),
            PanFingerprint = fingerprints.Of(card.Pan),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.GatewayTokens.Add(pending);
        await db.SaveChangesAsync(cancellationToken);

        MdesTokenized response;
        try
        {
            response = await mdes.TokenizeAsync(card, source, pending.TaskId, new MdesCallContext(merchant.TokenRequestorId, priority),
                CancellationToken.None); // once sent, finish recording the outcome even if the caller went away
        }
        catch (MdesException exception)
        {
            await RemoveAsync(pending);
            LogTokenizeRefused(pending.Token, exception.ErrorSource, exception.ReasonCode);
            return exception.ReasonCode switch
            {
                "PAN_INELIGIBLE" => new TokenizationResult.Ineligible(),
                _ when exception.ErrorSource == "INPUT" && exception.ReasonCode != "CRYPTOGRAPHY_ERROR" => new TokenizationResult.Rejected(exception.ReasonCode),
                _ => new TokenizationResult.Unavailable(TimeSpan.FromSeconds(exception.Recoverable ? 1 : 5), OutcomeUnknown: false),
            };
        }
        catch (MdesUnavailableException exception)
        {
            if (exception.OutcomeUnknown)
            {
                // MDES may have created the token: keep the PENDING row (taskId) for reconciliation.
                pending.Reconciliation = PendingTokenReconciler.OutcomeUnknown;
                await db.SaveChangesAsync(CancellationToken.None);
                LogTokenizeOutcomeUnknown(pending.Token, exception.Reason);
            }
            else
            {
                await RemoveAsync(pending);
            }

            return new TokenizationResult.Unavailable(exception.RetryAfter ?? TimeSpan.FromSeconds(1), exception.OutcomeUnknown);
        }

        if (response.Declined)
        {
            await RemoveAsync(pending);
            return new TokenizationResult.Declined();
        }

        pending.Decision = response.Decision;
        pending.TokenUniqueReference = response.Token.TokenUniqueReference;
        pending.PanUniqueReference = response.PanUniqueReference;
        pending.PaymentAccountReference = response.PaymentAccountReference;
        // A new token is INACTIVE until MDES notifies (or GetToken shows) its activation.
        TokenTransitions.Apply(pending, TokenReport.Tokenized(response.Token), clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        LogProvisioned(pending.Token, pending.Decision!);
        return new TokenizationResult.Provisioned(pending);
    }

    /// <summary>
    /// An earlier Tokenize for this card may have created an MDES token we never learned about (its outcome was
    /// unknown and <see cref="PendingTokenReconciler"/> found the task completed): adopt it rather than make a second one.
    /// </summary>
    private async Task<GatewayToken?> AdoptOrphanAsync(CallingMerchant merchant, CardInput card, MdesCallPriority priority)
    {
        var fingerprint = fingerprints.Of(card.Pan);
        var orphan = await db.GatewayTokens.FirstOrDefaultAsync(token => token.MerchantId == merchant.MerchantId
            && token.Status == TokenStatuses.Pending && token.Reconciliation == PendingTokenReconciler.OrphanSuspected && token.PanFingerprint == fingerprint);
        if (orphan is null)
        {
            return null;
        }

        IReadOnlyList<MdesTokenState> unclaimed;
        try
        {
            unclaimed = await adopter.UnclaimedAsync(card, merchant.TokenRequestorId, priority, CancellationToken.None);
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
        {
            return null; // cannot look now: tokenize as usual; the orphan stays for a later attempt
        }

        if (unclaimed.Count == 0)
        {
            db.GatewayTokens.Remove(orphan); // nothing left at MDES to adopt
            await db.SaveChangesAsync(CancellationToken.None);
            return null;
        }

        if (!await adopter.AdoptAsync(orphan, unclaimed[0]))
        {
            return null; // a concurrent add of the same card adopted it first: tokenize as usual instead
        }

        LogAdopted(orphan.Token);
        return orphan;
    }

    private async Task RemoveAsync(GatewayToken pending)
    {
        db.GatewayTokens.Remove(pending);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway token {GatewayToken} adopted its MDES token from an interrupted Tokenize")]
    private partial void LogAdopted(string gatewayToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway token {GatewayToken} provisioned ({Decision})")]
    private partial void LogProvisioned(string gatewayToken, string decision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tokenize for {GatewayToken} refused: {Source}/{ReasonCode}")]
    private partial void LogTokenizeRefused(string gatewayToken, string source, string reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tokenize for {GatewayToken} has an unknown outcome ({Reason}); kept PENDING for reconciliation")]
    private partial void LogTokenizeOutcomeUnknown(string gatewayToken, MdesUnavailableReason reason);
}
