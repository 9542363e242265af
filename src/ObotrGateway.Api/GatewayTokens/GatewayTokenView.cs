using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using ObotrGateway.Api.CardData;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>A gateway token as merchants see it. Never the TUR's card data: only suffixes and expiries.</summary>
internal sealed record GatewayTokenView(
    [property: Description("Opaque id of this card at the gateway (gt_…).")] string GatewayToken,
    [property: Description("INACTIVE, ACTIVE, SUSPENDED or DEACTIVATED (PENDING while tokenization is unresolved).")] string Status,
    [property: Description("APPROVED or REQUIRE_ADDITIONAL_AUTHENTICATION.")] string? Decision,
    [property: Description("Last four digits of the card: show these to the cardholder.")] string PanSuffix,
    [property: Description("Last four digits of the MDES token (not for display to cardholders).")] string? TokenPanSuffix,
    [property: Description("Token expiry, MMYY.")] string? TokenExpiry,
    [property: Description("Who holds a suspension: ISSUER, TOKEN_REQUESTOR, CARDHOLDER, MOBILE_PIN_LOCKED.")] IReadOnlyList<string> SuspendedBy,
    DateTimeOffset? StatusTimestamp,
    [property: Description("Card art and issuer details from MDES.")] JsonElement? ProductConfig,
    DateTimeOffset CreatedAt)
{
    public static GatewayTokenView Of(GatewayToken token) => new(
        token.Token, token.Status, token.Decision, token.PanSuffix, token.TokenPanSuffix, token.TokenExpiry, token.SuspendedBy,
        token.StatusTimestamp, token.ProductConfig?.RootElement.Clone(), token.CreatedAt);
}

/// <summary>Card fields as merchants send them.</summary>
internal sealed record CardRequest(
    [property: Required, RegularExpression("^[0-9]{12,19}$"), Description("Full card number, digits only (12–19). Never stored or logged.")] string? Pan,
    [property: Required, Range(1, 12), Description("1–12.")] int? ExpiryMonth,
    [property: Required, Range(0, 9999), Description("Four digits (2031) or two (31).")] int? ExpiryYear,
    [property: RegularExpression("^[0-9]{3,4}$"), Description("CVC, 3 or 4 digits; sent to the issuer for the tokenization decision only.")] string? SecurityCode,
    string? CardholderName,
    BillingAddressInput? BillingAddress)
{
    public override string ToString() => nameof(CardRequest);

    public CardInput ToInput() => new(Pan!, ExpiryMonth!.Value, ExpiryYear!.Value, SecurityCode, CardholderName, BillingAddress);
}
