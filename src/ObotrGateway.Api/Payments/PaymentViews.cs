using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ObotrGateway.Api.GatewayTokens;

namespace ObotrGateway.Api.Payments;

internal sealed record CreatePaymentRequest(
    [property: Description("Pay with a stored card (a gateway token)… ")] string? GatewayToken,
    [property: Description("…or with a card.")] CardRequest? Card,
    [property: Required, Range(typeof(long), "1", "999999999999"), Description("Amount in minor units (e.g. cents), 1 to 999999999999.")] long? Amount,
    [property: Required, RegularExpression("^[A-Z]{3}$"), Description("An active ISO 4217 alphabetic code, e.g. EUR.")] string? Currency,
    [property: AllowedValues(RecurringModes.None, RecurringModes.Initial, RecurringModes.Subsequent), Description("none (default), initial (first of a series, cardholder present) or subsequent (merchant-initiated, SLI 247).")] string? Recurring,
    [property: Description("With a card: also tokenize it and return a gateway token (tokenize while transacting).")] bool? StoreCard);

internal sealed record PaymentView(
    Guid PaymentId,
    [property: AllowedValues("authorized", "declined"), Description("authorized or declined.")] string Status,
    [property: Description("Why it was declined (the acquirer's reason code, or acquirer_unavailable).")] string? DeclineReason,
    [property: Description("The gateway token used or created for this payment.")] string? GatewayToken,
    [property: Description("True when the payment went with an MDES token (and cryptogram); false for the PAN fallback.")] bool NetworkTokenUsed,
    long Amount,
    string Currency,
    [property: AllowedValues(RecurringModes.None, RecurringModes.Initial, RecurringModes.Subsequent)] string Recurring,
    [property: AllowedValues("tokenized", "declined", "ineligible", "rejected", "unavailable"), Description("With storeCard: tokenized, declined, ineligible, rejected or unavailable.")] string? Tokenization,
    DateTimeOffset CreatedAt)
{
    public static PaymentView Of(Payment payment, string? gatewayToken) => new(
        payment.Id, payment.Status, payment.DeclineReason, gatewayToken, payment.NetworkTokenUsed, payment.Amount, payment.Currency,
        payment.Recurring, payment.TokenizationOutcome, payment.CreatedAt);
}

internal static class RecurringModes
{
    public const string None = "none";
    public const string Initial = "initial";
    public const string Subsequent = "subsequent";
}

/// <summary>Security level indicators for e-commerce authorizations with Mastercard tokens.</summary>
internal static class SecurityLevelIndicators
{
    /// <summary>Cardholder-initiated with a token cryptogram (DSRP/UCAF).</summary>
    public const string TokenWithCryptogram = "246";

    /// <summary>Merchant-initiated subsequent payment of a series started with a 246 payment; no cryptogram.</summary>
    public const string MerchantInitiated = "247";
}
