using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.Webhooks;

namespace ObotrGateway.Api.Hyperswitch;

/// <summary>
/// Webhooks to Hyperswitch (contract §10): when a card it had us tokenize gets a new expiry (a PAN swap) or its token does,
/// a <c>{"card": …}</c> or <c>{"token": …}</c> body goes to the merchant's webhookUrl with <c>Authorization</c> exactly the
/// configured value. They are rows of the same transactional outbox as merchant events, written in the transaction that
/// applies the change, and delivered by <see cref="WebhookDispatcher"/> with its retries and its SSRF guard (ADR 1104).
/// </summary>
internal static class HyperswitchWebhooks
{
    public const string CardEventType = "hyperswitch.card";
    public const string TokenEventType = "hyperswitch.token";

    private static readonly JsonSerializerOptions JsonOptions = new();

    public static bool IsHyperswitchEvent(string eventType) => eventType is CardEventType or TokenEventType;

    /// <summary>
    /// Adds the webhooks a just-applied change calls for (none for a token Hyperswitch does not know, or when both expiries
    /// are what Hyperswitch holds) and records the new expiries as Hyperswitch's. Call inside the change's transaction.
    /// </summary>
    public static async Task AddForChangeAsync(GatewayDbContext db, GatewayToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var card = await db.Set<HyperswitchCard>().SingleOrDefaultAsync(row => row.GatewayTokenId == token.Id, cancellationToken);
        if (card is null)
        {
            return;
        }

        var (cardMonth, cardYear) = CardExpiry(token, card);
        if (cardMonth != card.CardExpiryMonth || cardYear != card.CardExpiryYear)
        {
            card.CardExpiryMonth = cardMonth;
            card.CardExpiryYear = cardYear;
            db.WebhookOutbox.Add(Event(token, CardEventType, new ExpiryWebhook(new ExpiryUpdate(token.Token, card.CustomerId, cardYear, cardMonth), null), now));
        }

        if (card.TokenExpiryMonth is not null && token.TokenExpiry is { Length: 4 } mmyy
            && (mmyy[..2] != card.TokenExpiryMonth || "20" + mmyy[2..] != card.TokenExpiryYear))
        {
            card.TokenExpiryMonth = mmyy[..2];
            card.TokenExpiryYear = "20" + mmyy[2..];
            db.WebhookOutbox.Add(Event(token, TokenEventType,
                new ExpiryWebhook(null, new ExpiryUpdate(token.Token, card.CustomerId, card.TokenExpiryYear, card.TokenExpiryMonth)), now));
        }
    }

    /// <summary>
    /// The card's expiry as MDES last told it, written the way Hyperswitch wrote it at generate ("M" or "MM", "YY" or
    /// "YYYY"): Hyperswitch compares expiries as strings, so only a real change may look like one.
    /// </summary>
    public static (string Month, string Year) CardExpiry(GatewayToken token, HyperswitchCard card)
    {
        if (token.AccountPanExpiry is not { Length: 4 } mmyy || !mmyy.All(char.IsAsciiDigit))
        {
            return (card.CardExpiryMonth, card.CardExpiryYear);
        }

        var month = int.Parse(mmyy[..2], CultureInfo.InvariantCulture);
        var year = 2000 + int.Parse(mmyy[2..], CultureInfo.InvariantCulture);
        return (card.CardExpiryMonth.Length == 2 ? CardValidation.TwoDigits(month) : month.ToString(CultureInfo.InvariantCulture),
            card.CardExpiryYear.Length == 4 ? year.ToString(CultureInfo.InvariantCulture) : CardValidation.TwoDigitYear(year));
    }

    /// <summary>
    /// Where a merchant's Hyperswitch webhook goes and the Authorization value it carries; null without a usable set-up, and
    /// for token events while <see cref="HyperswitchOptions.TokenExpiryWebhooks"/> is off (the event then stays on record unsent).
    /// </summary>
    public static async Task<(string Url, string Authorization)?> TargetAsync(IServiceProvider services, Guid merchantId, string eventType,
        CancellationToken cancellationToken)
    {
        if (eventType == TokenEventType && !services.GetRequiredService<IOptions<HyperswitchOptions>>().Value.TokenExpiryWebhooks)
        {
            return null;
        }

        var db = services.GetRequiredService<GatewayDbContext>();
        var protector = services.GetRequiredService<DataProtector>();
        var setup = await db.Set<HyperswitchSetup>().AsNoTracking().SingleOrDefaultAsync(row => row.MerchantId == merchantId, cancellationToken);
        return setup is not null
            && protector.Unprotect(HyperswitchSetupEndpoints.WebhookAuthorizationPurpose, setup.WebhookAuthorizationProtected, merchantId.ToString()) is { } value
            ? (setup.WebhookUrl, Encoding.UTF8.GetString(value))
            : null;
    }

    private static WebhookOutboxEvent Event(GatewayToken token, string type, ExpiryWebhook body, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        MerchantId = token.MerchantId,
        GatewayTokenId = token.Id,
        EventType = type,
        Payload = JsonSerializer.Serialize(body, JsonOptions),
        State = WebhookEventStates.Pending,
        CreatedAt = now,
        NextAttemptAt = now,
    };
}

/// <summary>Hyperswitch's untagged <c>NetworkTokenWebhookResponse</c>: exactly one of the two members is present.</summary>
internal sealed record ExpiryWebhook(
    [property: JsonPropertyName("card"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExpiryUpdate? Card,
    [property: JsonPropertyName("token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExpiryUpdate? Token);

internal sealed record ExpiryUpdate(
    [property: JsonPropertyName("card_reference")] string CardReference,
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("expiry_year")] string ExpiryYear,
    [property: JsonPropertyName("expiry_month")] string ExpiryMonth);
