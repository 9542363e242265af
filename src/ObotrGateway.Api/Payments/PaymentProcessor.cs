using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Payments.Acquirer;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Payments;

/// <summary>
/// One payment: with a gateway token (token + cryptogram, SLI 246; or SLI 247 without cryptogram for a
/// merchant-initiated subsequent payment), or with a card (PAN fallback), optionally tokenizing the card while
/// transacting, inline or after the authorization as the merchant's setting says.
/// </summary>
internal sealed partial class PaymentProcessor(
    GatewayDbContext db,
    CardTokenizer tokenizer,
    TokenRefresher refresher,
    CryptogramSource cryptograms,
    AcquirerClient acquirer,
    IOptions<PaymentOptions> options,
    IHttpContextAccessor httpContext,
    TimeProvider clock,
    ILogger<PaymentProcessor> logger)
{
    public async Task<Results<Created<PaymentView>, ProblemHttpResult>> PayAsync(CallingMerchant merchant, CreatePaymentRequest request, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var recurring = request.Recurring ?? RecurringModes.None;
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            MerchantId = merchant.MerchantId,
            Amount = request.Amount!.Value,
            Currency = request.Currency!,
            Recurring = recurring,
            Status = "declined",
            CreatedAt = clock.GetUtcNow(),
        };

        if (request.GatewayToken is not null)
        {
            var token = await db.FindGatewayTokenAsync(merchant, request.GatewayToken, cancellationToken);
            if (token is null || token.ArchivedAt is not null)
            {
                return Problems.GatewayTokenNotFound();
            }

            if (token.Status == TokenStatuses.Inactive)
            {
                // Activation may have happened without us hearing yet: ask MDES once before refusing.
                await TryRefreshAsync(token, cancellationToken);
            }

            if (token.Status != TokenStatuses.Active)
            {
                return TokenizationProblems.TokenNotActive(token);
            }

            return await PayWithTokenAsync(payment, token, cancellationToken) is { } refused ? refused : Created(payment, token.Token);
        }

        var card = request.Card!.ToInput();
        if (request.StoreCard != true)
        {
            await PayWithPanAsync(payment, card, cancellationToken);
            return Created(payment, null);
        }

        var mode = await db.Merchants.Where(m => m.Id == merchant.MerchantId).Select(m => m.TokenizeWhileTransacting).SingleAsync(cancellationToken);
        if (mode == TokenizeWhileTransactingModes.AfterAuthorization)
        {
            await PayWithPanAsync(payment, card, cancellationToken);
            // The PAN was authorized: from here on nothing may fail the request or depend on the caller staying.
            var stored = payment.DeclineReason == AcquirerClient.Unavailable
                ? null
                : await TokenizeForPaymentAsync(merchant, card, payment, CancellationToken.None);
            if (stored is not null)
            {
                payment.GatewayTokenId = stored.Id;
                await db.SaveChangesAsync(CancellationToken.None);
            }

            return Created(payment, stored?.Token);
        }

        var created = await TokenizeForPaymentAsync(merchant, card, payment, cancellationToken);
        if (created is not null && await refresher.WaitUntilActiveAsync(created, options.Value.ActivationWait, cancellationToken)
            && await PayWithTokenAsync(payment, created, cancellationToken) is null)
        {
            return Created(payment, created.Token);
        }

        // Declined/ineligible tokenization, a token not active in time, or no cryptogram to be had: nothing was charged
        // yet, so the cardholder is paid with the PAN, once, and a stored token is still attached.
        payment.GatewayTokenId = created?.Id;
        await PayWithPanAsync(payment, card, cancellationToken);
        return Created(payment, created?.Token);
    }

    private async Task<ProblemHttpResult?> PayWithTokenAsync(Payment payment, GatewayToken token, CancellationToken cancellationToken)
    {
        payment.GatewayTokenId = token.Id;
        payment.NetworkTokenUsed = true;
        var merchantInitiated = payment.Recurring == RecurringModes.Subsequent && !token.RestartRecurringSeries
            && await HasApprovedSeriesStartAsync(token.Id, cancellationToken);
        AuthorizationRequest authorization;
        try
        {
            if (merchantInitiated)
            {
                var detail = await refresher.TokenDetailAsync(token, cancellationToken);
                if (detail?.TokenNumber is null || detail.ExpiryMonth is null || detail.ExpiryYear is null)
                {
                    return Problems.NetworkUnavailable(TimeSpan.FromSeconds(1));
                }

                authorization = new AuthorizationRequest(detail.TokenNumber, null, detail.ExpiryMonth, detail.ExpiryYear[^2..], null,
                    SecurityLevelIndicators.MerchantInitiated, payment.Amount, payment.Currency);
            }
            else
            {
                var cryptogram = await cryptograms.TakeAsync(token.TokenUniqueReference!, token.TokenRequestorId, cancellationToken);
                // applicationExpiryDate is YYMMDD.
                authorization = new AuthorizationRequest(cryptogram.TokenNumber, null, cryptogram.ApplicationExpiryDate[2..4],
                    cryptogram.ApplicationExpiryDate[..2], cryptogram.Cryptogram, SecurityLevelIndicators.TokenWithCryptogram, payment.Amount, payment.Currency);
            }
        }
        catch (MdesUnavailableException exception)
        {
            return TokenizationProblems.ForMdesFailure(exception, token);
        }
        catch (MdesException exception)
        {
            LogCryptogramRefused(token.Token, exception.ReasonCode);
            return TokenizationProblems.ForMdesFailure(exception, token);
        }

        payment.SecurityLevelIndicator = authorization.Sli;
        await AuthorizeAsync(payment, authorization, cancellationToken);
        if (payment.Status == "authorized" && authorization.Sli == SecurityLevelIndicators.TokenWithCryptogram
            && payment.Recurring != RecurringModes.None && token.RestartRecurringSeries)
        {
            // The series restarted with this cryptogram payment. A plain update, not the tracked entity: a concurrent
            // NTU changing the token must not fail a payment that is already authorized.
            await db.GatewayTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(set => set.SetProperty(t => t.RestartRecurringSeries, false), CancellationToken.None);
        }

        return null;
    }

    private async Task PayWithPanAsync(Payment payment, CardInput card, CancellationToken cancellationToken)
    {
        payment.NetworkTokenUsed = false;
        var request = new AuthorizationRequest(null, card.Pan, CardData.CardValidation.TwoDigits(card.ExpiryMonth),
            CardData.CardValidation.TwoDigitYear(card.ExpiryYear), null, null, payment.Amount, payment.Currency);
        await AuthorizeAsync(payment, request, cancellationToken);
    }

    private async Task AuthorizeAsync(Payment payment, AuthorizationRequest request, CancellationToken cancellationToken)
    {
        // From here the request has an effect that must not be repeated: even a 5xx answer is kept for its Idempotency-Key.
        httpContext.HttpContext?.Items.TryAdd(Idempotency.IdempotentRequests.SideEffectsKey, true);
        var result = await acquirer.AuthorizeAsync(request, CancellationToken.None);
        payment.Status = result.Approved ? "authorized" : "declined";
        payment.DeclineReason = result.Approved ? null : result.DeclineReason;
        payment.AcquirerReference = result.AuthorizationId;
        if (db.Entry(payment).State == EntityState.Detached)
        {
            db.Payments.Add(payment);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        LogAuthorized(payment.Id, payment.Status, payment.NetworkTokenUsed);
    }

    private async Task<GatewayToken?> TokenizeForPaymentAsync(CallingMerchant merchant, CardInput card, Payment payment, CancellationToken cancellationToken)
    {
        var result = await tokenizer.TokenizeAsync(merchant, card, CardTokenizer.SourceAddedManually, MdesCallPriority.Interactive, cancellationToken);
        payment.TokenizationOutcome = result switch
        {
            TokenizationResult.Provisioned => "tokenized",
            TokenizationResult.Declined => "declined",
            TokenizationResult.Ineligible => "ineligible",
            TokenizationResult.Rejected => "rejected",
            _ => "unavailable",
        };
        return (result as TokenizationResult.Provisioned)?.Token;
    }

    private Task<bool> HasApprovedSeriesStartAsync(Guid tokenId, CancellationToken cancellationToken) =>
        db.Payments.AnyAsync(p => p.GatewayTokenId == tokenId && p.Status == "authorized"
            && p.SecurityLevelIndicator == SecurityLevelIndicators.TokenWithCryptogram && p.Recurring != RecurringModes.None, cancellationToken);

    private async Task TryRefreshAsync(GatewayToken token, CancellationToken cancellationToken)
    {
        try
        {
            await refresher.RefreshAsync(token, MdesCallPriority.Interactive, cancellationToken);
        }
        catch (MdesUnavailableException exception)
        {
            LogRefreshUnavailable(token.Token, exception.Reason);
        }
        catch (MdesException exception)
        {
            LogRefreshFailed(token.Token, exception.ReasonCode);
        }
    }

    private static Created<PaymentView> Created(Payment payment, string? gatewayToken) =>
        TypedResults.Created($"/v1/payments/{payment.Id}", PaymentView.Of(payment, gatewayToken));

    private ProblemHttpResult? Validate(CreatePaymentRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if ((request.GatewayToken is null) == (request.Card is null))
        {
            errors["gatewayToken"] = ["Send exactly one of gatewayToken or card."];
        }

        if (request.Amount is not (> 0 and <= Currencies.MaxAmount))
        {
            errors["amount"] = ["A positive whole number of minor units, at most 999999999999."];
        }

        if (!Currencies.IsActive(request.Currency))
        {
            errors["currency"] = ["An active ISO 4217 alphabetic code in upper case, e.g. EUR."];
        }

        if (request.Recurring is not (null or RecurringModes.None or RecurringModes.Initial or RecurringModes.Subsequent))
        {
            errors["recurring"] = ["none, initial or subsequent."];
        }

        if (request.StoreCard == true && request.Card is null)
        {
            errors["storeCard"] = ["Only with a card."];
        }

        if (request.Card is not null && request.Recurring == RecurringModes.Subsequent)
        {
            errors["recurring"] = ["A subsequent payment goes with the gatewayToken of its series."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation("invalid_request", "Fix the fields listed in errors.", errors);
        }

        return request.Card is not null ? TokenizationProblems.InvalidCard(request.Card, clock.GetUtcNow()) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId} {Status} (network token: {NetworkTokenUsed})")]
    private partial void LogAuthorized(Guid paymentId, string status, bool networkTokenUsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transact for {GatewayToken} refused: {ReasonCode}")]
    private partial void LogCryptogramRefused(string gatewayToken, string reasonCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refresh of {GatewayToken} before payment: MDES unavailable ({Reason})")]
    private partial void LogRefreshUnavailable(string gatewayToken, MdesUnavailableReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refresh of {GatewayToken} before payment failed ({Reason})")]
    private partial void LogRefreshFailed(string gatewayToken, string reason);
}
