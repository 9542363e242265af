using Microsoft.AspNetCore.Http.HttpResults;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>The merchant-facing answers for card checks, tokenization outcomes and MDES failures on a token (see <see cref="Problems"/>).</summary>
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

        return errors.Count == 0 ? null : Problems.InvalidCard(errors);
    }

    public static ProblemHttpResult For(TokenizationResult result) => result switch
    {
        TokenizationResult.Declined => Problems.Create(StatusCodes.Status422UnprocessableEntity, "tokenization_declined",
            "The issuer declined to tokenize this card.", "Nothing was stored. Use another card, or pay with this card without storing it."),
        TokenizationResult.Ineligible => Problems.Create(StatusCodes.Status422UnprocessableEntity, "pan_ineligible",
            "This card's account range cannot be tokenized.", "Nothing was stored."),
        TokenizationResult.Rejected rejected => Problems.CardRejected(rejected.ReasonCode),
        TokenizationResult.Unavailable unavailable => Problems.NetworkUnavailable(unavailable.RetryAfter),
        _ => throw new ArgumentOutOfRangeException(nameof(result)),
    };

    /// <summary>409 <c>token_not_active</c> for this token as it is now.</summary>
    public static ProblemHttpResult TokenNotActive(GatewayToken token) =>
        Problems.TokenNotActive(token.Token, token.Status, token.SuspendedBy);

    /// <summary>The merchant-facing answer for an MDES failure while using an existing token.</summary>
    public static ProblemHttpResult ForMdesFailure(Exception exception, GatewayToken token) => exception switch
    {
        MdesUnavailableException unavailable => Problems.NetworkUnavailable(unavailable.RetryAfter ?? TimeSpan.FromSeconds(1)),
        MdesException { ReasonCode: "INVALID_TOKEN_STATUS" } => TokenNotActive(token),
        MdesException { Recoverable: true } => Problems.NetworkUnavailable(TimeSpan.FromSeconds(1)),
        MdesException mdes => Problems.NetworkError(mdes.ReasonCode),
        _ => throw new ArgumentOutOfRangeException(nameof(exception)),
    };
}
