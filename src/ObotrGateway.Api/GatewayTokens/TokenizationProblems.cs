using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>The merchant-facing answers for card checks and tokenization outcomes that are not a success.</summary>
internal static class TokenizationProblems
{
    public static ProblemHttpResult? InvalidCard(CardRequest? card, DateTimeOffset now)
    {
        var errors = card is null
            ? new Dictionary<string, string[]> { ["card"] = ["Required."] }
            : CardValidation.Validate(card.Pan, card.ExpiryMonth, card.ExpiryYear, card.SecurityCode, now);
        if (card?.CardholderName is { Length: > 27 })
        {
            errors["card.cardholderName"] = ["At most 27 characters (MDES limit)."];
        }

        return errors.Count == 0 ? null : Problems.Validation("invalid_card", "The card was not sent to the network: fix the fields in errors.", errors);
    }

    public static ProblemHttpResult For(TokenizationResult result) => result switch
    {
        TokenizationResult.Declined => Problems.Create(StatusCodes.Status422UnprocessableEntity, "tokenization_declined",
            "The issuer declined to tokenize this card.", "Nothing was stored. Use another card, or pay with this card without storing it."),
        TokenizationResult.Ineligible => Problems.Create(StatusCodes.Status422UnprocessableEntity, "pan_ineligible",
            "This card's account range cannot be tokenized.", "Nothing was stored."),
        TokenizationResult.Rejected rejected => Problems.Create(StatusCodes.Status422UnprocessableEntity, "card_rejected",
            "The network rejected the card data.", $"MDES reason {rejected.ReasonCode}. Nothing was stored."),
        TokenizationResult.Unavailable unavailable => Unavailable(unavailable.RetryAfter),
        _ => throw new ArgumentOutOfRangeException(nameof(result)),
    };

    /// <summary>503 with Retry-After: MDES unreachable, failing, or our TPS cap for this TRID is full.</summary>
    public static ProblemHttpResult Unavailable(TimeSpan retryAfter) =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, "network_unavailable",
            "The card network is unavailable or busy.", "Nothing was changed. Retry after the Retry-After delay (same Idempotency-Key is fine).",
            new Dictionary<string, object?> { ["retryAfterSeconds"] = RetryAfterSeconds(retryAfter) });

    /// <summary>MDES answered with an error that retrying will not fix (e.g. it does not know the token).</summary>
    public static ProblemHttpResult NetworkError(string reasonCode) =>
        Problems.Create(StatusCodes.Status502BadGateway, "network_error", "The card network refused the operation.",
            $"MDES reason {reasonCode}.", new Dictionary<string, object?> { ["reasonCode"] = reasonCode });

    /// <summary>One shape for "this token cannot be used now", wherever it is found out.</summary>
    public static ProblemHttpResult TokenNotActive(GatewayToken token) =>
        Problems.Create(StatusCodes.Status409Conflict, "token_not_active", "The gateway token is not active.",
            $"Its status is {token.Status}" + (token.SuspendedBy.Count > 0 ? $", suspended by {string.Join(", ", token.SuspendedBy)}." : "."),
            new Dictionary<string, object?> { ["gatewayToken"] = token.Token, ["tokenStatus"] = token.Status, ["suspendedBy"] = token.SuspendedBy });

    /// <summary>The merchant-facing answer for an MDES failure while using an existing token.</summary>
    public static ProblemHttpResult ForMdesFailure(Exception exception, GatewayToken token) => exception switch
    {
        MdesUnavailableException unavailable => Unavailable(unavailable.RetryAfter ?? TimeSpan.FromSeconds(1)),
        MdesException { ReasonCode: "INVALID_TOKEN_STATUS" } => TokenNotActive(token),
        MdesException { Recoverable: true } => Unavailable(TimeSpan.FromSeconds(1)),
        MdesException mdes => NetworkError(mdes.ReasonCode),
        _ => throw new ArgumentOutOfRangeException(nameof(exception)),
    };

    public static int RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    /// <summary>Endpoint filter: copies retryAfterSeconds of a 503 problem into the Retry-After header.</summary>
    public static async ValueTask<object?> RetryAfterHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (Unwrap(result) is ProblemHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable } problem
            && problem.ProblemDetails.Extensions.TryGetValue("retryAfterSeconds", out var seconds) && seconds is int value)
        {
            context.HttpContext.Response.Headers.RetryAfter = value.ToString(CultureInfo.InvariantCulture);
        }

        return result;
    }

    private static object? Unwrap(object? result) => result is INestedHttpResult nested ? nested.Result : result;
}
