using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
            var token = await GatewayTokenEndpoints.FindAsync(db, merchant, request.GatewayToken, cancellationToken);
            if (token is null || token.ArchivedAt is not null)
            {
                return GatewayTokenEndpoints.NotFound();
            }

            if (token.Status == TokenStatuses.Inactive)
            {
                // Activation may have happened without us hearing yet: ask MDES once before refusing.
                await TryRefreshAsync(token, cancellationToken);
            }

            if (token.Status != TokenStatuses.Active)
            {
                return TokenNotActive(token);
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
            var stored = await TokenizeForPaymentAsync(merchant, card, payment, cancellationToken);
            if (stored is not null)
            {
                payment.GatewayTokenId = stored.Id;
                await db.SaveChangesAsync(cancellationToken);
            }

            return Created(payment, stored?.Token);
        }

        var created = await TokenizeForPaymentAsync(merchant, card, payment, cancellationToken);
        if (created is not null && await refresher.WaitUntilActiveAsync(created, options.Value.ActivationWait, cancellationToken))
        {
            return await PayWithTokenAsync(payment, created, cancellationToken) is { } refused ? refused : Created(payment, created.Token);
        }

        // Declined/ineligible tokenization, or a token not active in time: the cardholder still gets paid with the PAN, once.
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
                    return TokenizationProblems.Unavailable(TimeSpan.FromSeconds(1));
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
            return TokenizationProblems.Unavailable(exception.RetryAfter ?? TimeSpan.FromSeconds(1));
        }
        catch (MdesException exception)
        {
            LogCryptogramRefused(token.Token, exception.ReasonCode);
            return exception.ReasonCode == "INVALID_TOKEN_STATUS"
                ? TokenNotActive(token)
                : TokenizationProblems.Unavailable(TimeSpan.FromSeconds(exception.Recoverable ? 1 : 5));
        }

        payment.SecurityLevelIndicator = authorization.Sli;
        await AuthorizeAsync(payment, authorization, cancellationToken);
        if (payment.Status == "authorized" && authorization.Sli == SecurityLevelIndicators.TokenWithCryptogram && token.RestartRecurringSeries)
        {
            token.RestartRecurringSeries = false; // the series has restarted with this cryptogram payment
            await db.SaveChangesAsync(cancellationToken);
        }

        return null;
    }

    private async Task PayWithPanAsync(Payment payment, CardInput card, CancellationToken cancellationToken)
    {
        payment.NetworkTokenUsed = false;
        var request = new AuthorizationRequest(null, card.Pan, card.ExpiryMonth.ToString("00", CultureInfo.InvariantCulture),
            (CardData.CardValidation.NormalizeYear(card.ExpiryYear) % 100).ToString("00", CultureInfo.InvariantCulture), null, null,
            payment.Amount, payment.Currency);
        await AuthorizeAsync(payment, request, cancellationToken);
    }

    private async Task AuthorizeAsync(Payment payment, AuthorizationRequest request, CancellationToken cancellationToken)
    {
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

    private static ProblemHttpResult TokenNotActive(GatewayToken token) =>
        Problems.Create(StatusCodes.Status409Conflict, "token_not_active", "The gateway token is not active.",
            $"Its status is {token.Status}" + (token.SuspendedBy.Count > 0 ? $", suspended by {string.Join(", ", token.SuspendedBy)}." : "."),
            new Dictionary<string, object?> { ["tokenStatus"] = token.Status, ["suspendedBy"] = token.SuspendedBy });

    private static Created<PaymentView> Created(Payment payment, string? gatewayToken) =>
        TypedResults.Created($"/v1/payments/{payment.Id}", PaymentView.Of(payment, gatewayToken));

    private static ProblemHttpResult? Validate(CreatePaymentRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if ((request.GatewayToken is null) == (request.Card is null))
        {
            errors["gatewayToken"] = ["Send exactly one of gatewayToken or card."];
        }

        if (request.Amount is not > 0)
        {
            errors["amount"] = ["A positive whole number of minor units."];
        }

        if (request.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            errors["currency"] = ["Three upper-case letters (ISO 4217), e.g. EUR."];
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

        return request.Card is not null ? TokenizationProblems.InvalidCard(request.Card, DateTimeOffset.UtcNow) : null;
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
