using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>A card as a merchant sent it. Lives only for one request or job item; never logged (see ToString).</summary>
internal sealed record CardInput(string Pan, int ExpiryMonth, int ExpiryYear, string? SecurityCode, string? CardholderName, BillingAddressInput? BillingAddress)
{
    public override string ToString() => $"card ending {CardValidation.PanSuffix(Pan)}";
}

internal sealed record BillingAddressInput(string? Line1, string? Line2, string? City, string? CountrySubdivision, string? PostalCode, string? Country)
{
    public override string ToString() => nameof(BillingAddressInput); // personal data: never printed
}

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

        TokenizeResponse response;
        try
        {
            response = await mdes.TokenizeAsync(BuildRequest(pending, card, source), new MdesCallContext(merchant.TokenRequestorId, priority),
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

        if (response.Decision == TokenizeResponse.Declined || response.TokenUniqueReference is null)
        {
            await RemoveAsync(pending);
            return new TokenizationResult.Declined();
        }

        pending.Decision = response.Decision;
        pending.TokenUniqueReference = response.TokenUniqueReference;
        pending.PanUniqueReference = response.PanUniqueReference;
        // A new token is INACTIVE until MDES notifies (or GetToken shows) its activation.
        pending.Status = TokenStatuses.Inactive;
        TokenStateSync.ApplyTokenInfo(pending, response.TokenInfo);
        TokenStateSync.ApplyProductConfig(pending, response.ProductConfig);
        pending.PaymentAccountReference = response.TokenDetail?.EncryptedData?.PaymentAccountReference;
        pending.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        LogProvisioned(pending.Token, pending.Decision!);
        return new TokenizationResult.Provisioned(pending);
    }

    /// <summary>
    /// An earlier Tokenize for this card may have created an MDES token we never learned about (its outcome was
    /// unknown and <see cref="PendingTokenReconciler"/> found the task completed). With the PAN in hand again,
    /// SearchTokens names it; adopting it avoids a second MDES token for the same card and merchant.
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

        SearchTokensResponse found;
        try
        {
            found = await mdes.SearchTokensAsync(new SearchTokensRequest
            {
                TokenRequestorId = merchant.TokenRequestorId,
                FundingAccountInfo = BuildRequest(orphan, card, orphan.Source).FundingAccountInfo,
            }, new MdesCallContext(merchant.TokenRequestorId, priority));
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
        {
            return null; // cannot look now: tokenize as usual; the orphan stays for a later attempt
        }

        var turs = found.Tokens.Where(token => token.TokenUniqueReference is not null && token.Status != TokenStatuses.Deactivated)
            .Select(token => token.TokenUniqueReference!).ToList();
        var known = await db.GatewayTokens.Where(token => token.TokenUniqueReference != null && turs.Contains(token.TokenUniqueReference))
            .Select(token => token.TokenUniqueReference!).ToListAsync();
        var unclaimed = found.Tokens.FirstOrDefault(token => token.TokenUniqueReference is { } tur && turs.Contains(tur) && !known.Contains(tur));
        if (unclaimed is null)
        {
            db.GatewayTokens.Remove(orphan); // nothing left at MDES to adopt
            await db.SaveChangesAsync(CancellationToken.None);
            return null;
        }

        orphan.TokenUniqueReference = unclaimed.TokenUniqueReference;
        orphan.Status = TokenStatuses.Inactive;
        TokenStateSync.ApplyStatus(orphan, unclaimed);
        TokenStateSync.ApplyTokenInfo(orphan, unclaimed.TokenInfo);
        TokenStateSync.ApplyProductConfig(orphan, unclaimed.ProductConfig);
        orphan.Reconciliation = null;
        orphan.UpdatedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException)
        {
            // A concurrent add of the same card adopted it (or claimed that TUR) first: tokenize as usual instead.
            db.ChangeTracker.Clear();
            return null;
        }

        LogAdopted(orphan.Token);
        return orphan;
    }

    private async Task RemoveAsync(GatewayToken pending)
    {
        db.GatewayTokens.Remove(pending);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static TokenizeRequest BuildRequest(GatewayToken pending, CardInput card, string source) => new()
    {
        TokenRequestorId = pending.TokenRequestorId,
        TaskId = pending.TaskId,
        FundingAccountInfo = new FundingAccountInfo
        {
            EncryptedPayload = new FundingAccountPayload(new FundingAccountData
            {
                CardAccountData = new CardAccountData
                {
                    AccountNumber = card.Pan,
                    ExpiryMonth = CardValidation.TwoDigits(card.ExpiryMonth),
                    ExpiryYear = CardValidation.TwoDigitYear(card.ExpiryYear),
                    SecurityCode = card.SecurityCode,
                },
                AccountHolderData = card.CardholderName is null && card.BillingAddress is null ? null : new AccountHolderData
                {
                    AccountHolderName = card.CardholderName,
                    AccountHolderAddress = card.BillingAddress is not { } address ? null : new BillingAddress
                    {
                        Line1 = address.Line1,
                        Line2 = address.Line2,
                        City = address.City,
                        CountrySubdivision = address.CountrySubdivision,
                        PostalCode = address.PostalCode,
                        Country = address.Country,
                    },
                },
                Source = source,
            }),
        },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway token {GatewayToken} adopted its MDES token from an interrupted Tokenize")]
    private partial void LogAdopted(string gatewayToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway token {GatewayToken} provisioned ({Decision})")]
    private partial void LogProvisioned(string gatewayToken, string decision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tokenize for {GatewayToken} refused: {Source}/{ReasonCode}")]
    private partial void LogTokenizeRefused(string gatewayToken, string source, string reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tokenize for {GatewayToken} has an unknown outcome ({Reason}); kept PENDING for reconciliation")]
    private partial void LogTokenizeOutcomeUnknown(string gatewayToken, MdesUnavailableReason reason);
}

/// <summary>Copies MDES's view of a token onto ours. Shared by tokenize, GetToken refreshes and (later) NTUs.</summary>
internal static class TokenStateSync
{
    /// <summary>
    /// Applies status fields unless <see cref="Notifications.TokenUpdateRules.IsStale"/> says they are stale (never regress);
    /// <paramref name="answerAskedAt"/> is when we asked MDES, for an answer to our own call, or null for an NTU.
    /// </summary>
    public static bool ApplyStatus(GatewayToken token, MdesToken mdes, DateTimeOffset? answerAskedAt = null)
    {
        if (mdes.Status is null || Notifications.TokenUpdateRules.IsStale(token, mdes, answerAskedAt))
        {
            return false;
        }

        token.Status = mdes.Status;
        token.SuspendedBy = mdes.Status == TokenStatuses.Suspended ? [.. mdes.SuspendedBy ?? []] : [];
        token.StatusTimestamp = mdes.StatusTimestamp ?? token.StatusTimestamp;
        return true;
    }

    public static void ApplyTokenInfo(GatewayToken token, TokenInfo? info)
    {
        if (info is null)
        {
            return;
        }

        token.TokenPanSuffix = info.TokenPanSuffix ?? token.TokenPanSuffix;
        token.PanSuffix = info.AccountPanSuffix is { Length: >= 4 } suffix ? suffix[^4..] : token.PanSuffix;
        token.TokenExpiry = info.TokenExpiry ?? token.TokenExpiry;
        token.AccountPanExpiry = info.AccountPanExpiry ?? token.AccountPanExpiry;
        token.ProductCategory = info.ProductCategory ?? token.ProductCategory;
    }

    public static void ApplyProductConfig(GatewayToken token, ProductConfig? config)
    {
        if (config is not null)
        {
            token.ProductConfig = JsonSerializer.SerializeToDocument(config, MdesJson.Options);
        }
    }
}
