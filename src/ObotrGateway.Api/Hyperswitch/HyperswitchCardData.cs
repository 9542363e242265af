using System.Globalization;
using System.Text.Json;
using ObotrGateway.Api.CardData;

namespace ObotrGateway.Api.Hyperswitch;

/// <summary>The card as Hyperswitch sent it, with its expiry strings kept as written (its webhooks compare them verbatim).</summary>
internal sealed record HyperswitchCardInput(CardInput Card, string ExpMonth, string ExpYear)
{
    public override string ToString() => Card.ToString();
}

/// <summary>
/// Reads the decrypted <c>cardData</c> (contract §4): Hyperswitch serialises the card object and then serialises that
/// string again, so the plaintext is normally a JSON string holding the object; a bare object is accepted too. Expiry
/// strings come as stored in Hyperswitch ("M" or "MM", "YY" or "YYYY"); the CVC may be null, empty or absent.
/// Nothing here quotes what it read: the plaintext holds a PAN.
/// </summary>
internal static class HyperswitchCardData
{
    public static HyperswitchCardInput? Parse(ReadOnlySpan<byte> plaintext, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        errors = [];
        JsonElement card;
        try
        {
            var options = new JsonDocumentOptions { MaxDepth = 8 };
            using var outer = JsonDocument.Parse(plaintext.ToArray(), options);
            if (outer.RootElement.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(outer.RootElement.GetString()!, options);
                card = inner.RootElement.Clone();
            }
            else
            {
                card = outer.RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            errors["cardData"] = ["The decrypted card data is not JSON (an object, or a JSON string holding one)."];
            return null;
        }

        if (card.ValueKind != JsonValueKind.Object)
        {
            errors["cardData"] = ["The decrypted card data must be a card object (cardNumber, expMonth, expYear, cardSecurityCode)."];
            return null;
        }

        var pan = Text(card, "cardNumber");
        var expMonth = Text(card, "expMonth");
        var expYear = Text(card, "expYear");
        var securityCode = Text(card, "cardSecurityCode") is { Length: > 0 } code ? code : null;
        int? month = int.TryParse(expMonth, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && expMonth!.Length <= 2 ? m : null;
        int? year = int.TryParse(expYear, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && expYear!.Length is 2 or 4 ? y : null;
        foreach (var (field, messages) in CardValidation.Validate(pan, month, year, securityCode, now))
        {
            errors[field switch
            {
                "card.pan" => "cardData.cardNumber",
                "card.expiryMonth" => "cardData.expMonth",
                "card.expiryYear" => "cardData.expYear",
                "card.securityCode" => "cardData.cardSecurityCode",
                _ => "cardData",
            }] = messages;
        }

        return errors.Count > 0 ? null : new HyperswitchCardInput(new CardInput(pan!, month!.Value, year!.Value, securityCode, null, null), expMonth!, expYear!);
    }

    /// <summary>A string member, or a number written as one (expiry months and years are sometimes numbers).</summary>
    private static string? Text(JsonElement card, string name) =>
        !card.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
        : null;
}
