using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Assets;

namespace ObotrGateway.MdesSimulator.Tokens;

/// <summary>Point-in-time copy of a token's lifecycle fields, taken under the store lock.</summary>
internal sealed record TokenSnapshot(string TokenUniqueReference, string TokenRequestorId, TokenStatus Status, IReadOnlyList<Party> SuspendedBy, DateTimeOffset StatusTimestamp)
{
    public static TokenSnapshot Of(Token t) => new(t.TokenUniqueReference, t.TokenRequestorId, t.Status, [.. t.SuspendedBy], t.StatusTimestamp);

    /// <summary><c>{tokenUniqueReference, status, suspendedBy?, statusTimestamp}</c> as in the Suspend/Unsuspend/Delete responses.</summary>
    public JsonObject ToJson(bool withSuspendedBy = true)
    {
        var json = new JsonObject { ["tokenUniqueReference"] = TokenUniqueReference, ["status"] = Wire.Status(Status) };
        if (withSuspendedBy && Status == TokenStatus.Suspended)
        {
            json["suspendedBy"] = new JsonArray([.. SuspendedBy.Select(p => (JsonNode)Wire.Party(p))]);
        }

        json["statusTimestamp"] = Wire.Timestamp(StatusTimestamp);
        return json;
    }
}

/// <summary>The token shapes of contract §2.10 (call under the store lock).</summary>
internal static class TokenViews
{
    public static JsonObject ProductConfig(Token token) => ProductCatalog.All[token.ProductConfigId].ToJson();

    /// <summary>The NTU / Get Token variant (<paramref name="notificationVariant"/>) adds <c>accountPanPrefix</c>.</summary>
    public static JsonObject TokenInfo(Token token, bool notificationVariant)
    {
        var json = new JsonObject
        {
            ["tokenPanSuffix"] = token.TokenPanSuffix,
            ["accountPanSuffix"] = token.AccountPanSuffix,
            ["tokenExpiry"] = token.TokenExpiryMonth + token.TokenExpiryYear,
            ["accountPanExpiry"] = token.FundingExpiryMonth + token.FundingExpiryYear,
            ["dsrpCapable"] = "true",
            ["tokenAssuranceLevel"] = token.TokenAssuranceLevel,
            ["productCategory"] = ProductCatalog.All[token.ProductConfigId].ProductCategory,
        };
        if (notificationVariant)
        {
            json["accountPanPrefix"] = token.FundingPan[..6];
        }

        return json;
    }

    /// <summary>Search Tokens / Get Token item: lifecycle fields plus productConfig and tokenInfo.</summary>
    public static JsonObject Summary(Token token, bool notificationVariant, bool withRequestorId)
    {
        var json = TokenSnapshot.Of(token).ToJson();
        if (withRequestorId)
        {
            json.Insert(1, "tokenRequestorId", token.TokenRequestorId);
        }

        json["productConfig"] = ProductConfig(token);
        json["tokenInfo"] = TokenInfo(token, notificationVariant);
        return json;
    }

    public static JsonObject Notification(Token token, string? eventReasonCode, bool productConfig, bool tokenInfo)
    {
        var json = TokenSnapshot.Of(token).ToJson();
        json.Insert(1, "tokenRequestorId", token.TokenRequestorId);
        if (eventReasonCode is not null)
        {
            json["eventReasonCode"] = eventReasonCode;
        }

        if (productConfig)
        {
            json["productConfig"] = ProductConfig(token);
        }

        if (tokenInfo)
        {
            json["tokenInfo"] = TokenInfo(token, notificationVariant: true);
        }

        return json;
    }

    /// <summary><c>YYMMDD</c> with the last day of the token's expiry month.</summary>
    public static string ApplicationExpiryDate(Token token)
    {
        var year = 2000 + int.Parse(token.TokenExpiryYear, System.Globalization.CultureInfo.InvariantCulture);
        var month = int.Parse(token.TokenExpiryMonth, System.Globalization.CultureInfo.InvariantCulture);
        return token.TokenExpiryYear + token.TokenExpiryMonth + DateTime.DaysInMonth(year, month).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
    }
}
