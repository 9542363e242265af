using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using ObotrGateway.MdesSimulator.TestCards;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.Acquirer;

/// <summary>
/// Authorization with an MDES token (DSRP: token + cryptogram + expiry, SLI 246; SLI 247 follow-ups without a
/// cryptogram) or, as the fallback, a plain PAN. <c>amount</c> is in minor units. <c>merchantName</c> and
/// <c>merchantCategoryCode</c> are optional; token authorizations are kept on the token for the issuer's
/// Customer Service <c>transactions</c>.
/// </summary>
internal sealed record AuthorizationRequest(
    string? TokenNumber,
    string? Pan,
    string? ExpiryMonth,
    string? ExpiryYear,
    string? Cryptogram,
    string? Sli,
    long? Amount,
    string? Currency,
    string? MerchantName = null,
    string? MerchantCategoryCode = null);

/// <summary><c>status</c> is <c>approved</c> or <c>declined</c>; declines carry <c>declineReason</c>.</summary>
internal sealed record AuthorizationResponse(string AuthorizationId, string Status, string? DeclineReason, string? ApprovalCode);

internal sealed record AcquirerError(string ReasonCode, string Description);

internal static class AcquirerEndpoints
{
    public const string InitialSli = "246";
    public const string RecurringSli = "247";

    public static IEndpointRouteBuilder MapAcquirer(this IEndpointRouteBuilder app)
    {
        app.MapPost("/acquirer/authorizations", Authorize).WithName("acquirer-authorize").WithTags("Acquirer")
            .WithDescription("Declines (200, status declined) carry declineReason: TOKEN_NOT_FOUND, TOKEN_NOT_ACTIVE, EXPIRY_MISMATCH, " +
                "CRYPTOGRAM_REQUIRED, INVALID_CRYPTOGRAM, CRYPTOGRAM_ALREADY_USED, CRYPTOGRAM_EXPIRED, NO_INITIAL_PAYMENT, INVALID_SLI, " +
                "INVALID_CARD, EXPIRED_CARD, ISSUER_DECLINED, INSUFFICIENT_FUNDS (amounts ending in 51 minor units).");
        return app;
    }

    public static Results<Ok<AuthorizationResponse>, BadRequest<AcquirerError>> Authorize(
        AuthorizationRequest request, TokenStore store, CryptogramLedger cryptograms, TimeProvider time)
    {
        if ((request.TokenNumber is null) == (request.Pan is null))
        {
            return TypedResults.BadRequest(new AcquirerError("INVALID_REQUEST", "Give exactly one of tokenNumber or pan"));
        }

        if (request.Amount is not > 0 || request.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            return TypedResults.BadRequest(new AcquirerError("INVALID_REQUEST", "amount (minor units, > 0) and currency (ISO 4217 alpha) are required"));
        }

        if (request.MerchantName is { Length: > 100 } || request.MerchantCategoryCode is not (null or { Length: 4 }) || request.MerchantCategoryCode?.All(char.IsAsciiDigit) == false)
        {
            return TypedResults.BadRequest(new AcquirerError("INVALID_REQUEST", "merchantName is at most 100 characters; merchantCategoryCode is 4 digits"));
        }

        var decline = request.TokenNumber is not null
            ? TokenDecline(request, store, cryptograms)
            : PanDecline(request, time.GetUtcNow());
        decline ??= request.Amount % 100 == 51 ? "INSUFFICIENT_FUNDS" : null;
        if (request.TokenNumber is not null)
        {
            Remember(request, store, decline is null, time.GetUtcNow());
        }

        var id = "auth_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return TypedResults.Ok(decline is null
            ? new AuthorizationResponse(id, "approved", null, RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture))
            : new AuthorizationResponse(id, "declined", decline, null));
    }

    private static string? TokenDecline(AuthorizationRequest request, TokenStore store, CryptogramLedger cryptograms)
    {
        lock (store.Sync)
        {
            var token = store.FindByTokenNumber(request.TokenNumber!);
            if (token is null)
            {
                return "TOKEN_NOT_FOUND";
            }

            if (token.Status != TokenStatus.Active)
            {
                return "TOKEN_NOT_ACTIVE";
            }

            var expiryGiven = request.ExpiryMonth is not null || request.ExpiryYear is not null;
            if (expiryGiven && (request.ExpiryMonth != token.TokenExpiryMonth || request.ExpiryYear != token.TokenExpiryYear))
            {
                return "EXPIRY_MISMATCH";
            }

            switch (request.Sli)
            {
                case InitialSli:
                    if (request.Cryptogram is null)
                    {
                        return "CRYPTOGRAM_REQUIRED";
                    }

                    if (!expiryGiven)
                    {
                        return "EXPIRY_MISMATCH";
                    }

                    var initial = Redeem(cryptograms, request.Cryptogram, token);
                    if (initial is null)
                    {
                        token.HasInitialPayment = true;
                    }

                    return initial;
                case RecurringSli:
                    // A follow-up (recurring / partial shipment) rides on an earlier cardholder-present DSRP payment.
                    if (request.Cryptogram is not null)
                    {
                        return Redeem(cryptograms, request.Cryptogram, token);
                    }

                    return token.HasInitialPayment ? null : "NO_INITIAL_PAYMENT";
                default:
                    return "INVALID_SLI";
            }
        }
    }

    private static void Remember(AuthorizationRequest request, TokenStore store, bool approved, DateTimeOffset now)
    {
        lock (store.Sync)
        {
            if (store.FindByTokenNumber(request.TokenNumber!) is { } token)
            {
                Token.Append(token.Authorizations, new TokenAuthorization(now, request.Amount!.Value, request.Currency!, approved, request.MerchantName, request.MerchantCategoryCode));
            }
        }
    }

    private static string? Redeem(CryptogramLedger cryptograms, string cryptogram, Token token) =>
        cryptograms.Redeem(cryptogram, token.TokenNumber) switch
        {
            RedeemResult.Approved => null,
            RedeemResult.AlreadyUsed => "CRYPTOGRAM_ALREADY_USED",
            RedeemResult.Expired => "CRYPTOGRAM_EXPIRED",
            _ => "INVALID_CRYPTOGRAM",
        };

    private static string? PanDecline(AuthorizationRequest request, DateTimeOffset now)
    {
        var pan = request.Pan!;
        if (!Luhn.IsValid(pan) || request.Cryptogram is not null)
        {
            return "INVALID_CARD";
        }

        if (!int.TryParse(request.ExpiryMonth, CultureInfo.InvariantCulture, out var month) || month is < 1 or > 12
            || !int.TryParse(request.ExpiryYear, CultureInfo.InvariantCulture, out var year) || request.ExpiryYear!.Length != 2)
        {
            return "INVALID_CARD";
        }

        if (2000 + year < now.Year || (2000 + year == now.Year && month < now.Month))
        {
            return "EXPIRED_CARD";
        }

        return TestCardCatalog.Classify(pan).Behaviour is IssuerBehaviour.Declined ? "ISSUER_DECLINED" : null;
    }
}
