using System.Globalization;
using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.CustomerService;

/// <summary>The Customer Service API's spellings: single-letter statuses, parties and reasons, PascalCase shapes.</summary>
internal static class CsWire
{
    public static readonly string[] SuspendReasons = ["L", "S", "T", "Z"];
    public static readonly string[] UnsuspendReasons = ["F", "T", "Z"];
    public static readonly string[] DeleteReasons = ["L", "S", "F", "T", "C", "Z"];
    public static readonly string[] ActivateReasons = ["A", "C"];
    public static readonly string[] ResetMobilePinReasons = ["N", "R"];
    public static readonly string[] Indicators = ["TRUE", "FALSE"];

    public static string StatusCode(TokenStatus status) => status switch
    {
        TokenStatus.Inactive => "U",
        TokenStatus.Active => "A",
        TokenStatus.Suspended => "S",
        _ => "D",
    };

    public static string StatusDescription(TokenStatus status) => status switch
    {
        TokenStatus.Inactive => "Unmapped",
        TokenStatus.Active => "Active",
        TokenStatus.Suspended => "Suspended",
        _ => "Deleted",
    };

    /// <summary>History keeps the Digital Enablement status names; the CS letters are derived from them.</summary>
    public static (string Code, string Description) Status(string wireStatus) => wireStatus switch
    {
        "ACTIVE" => ("A", "Active"),
        "SUSPENDED" => ("S", "Suspended"),
        "DEACTIVATED" => ("D", "Deleted"),
        _ => ("U", "Unmapped"),
    };

    public static string Party(Party party) => party switch
    {
        Tokens.Party.TokenRequestor => "W",
        Tokens.Party.Cardholder => "C",
        _ => "I",
    };

    /// <summary>Who acted, from the history entry's source: the token requestor (W), the cardholder's toggle (C), or the issuer side (I).</summary>
    public static string Initiator(string source) => source switch
    {
        "MDES_API" => "W",
        "CARD_PROCESSING" => "C",
        _ => "I",
    };

    /// <summary>
    /// A stored reason as a CS letter: CS actions store their letter; the console and the MDES API store words.
    /// </summary>
    public static string? ReasonLetter(string? reason) => reason switch
    {
        null => null,
        { Length: 1 } => reason,
        "DEVICE_LOST" => "L",
        "DEVICE_STOLEN" => "S",
        "SUSPECTED_FRAUD" or "NOT_FRAUD" => "T",
        "DEVICE_FOUND" => "F",
        "ACCOUNT_CLOSED" => "C",
        _ => "Z",
    };

    /// <summary>The NTU's <c>eventReasonCode</c> for a CS reason letter (the words the console already sends).</summary>
    public static string NotificationReason(TokenAction action, string letter) => (action, letter) switch
    {
        (TokenAction.Unsuspend, "T") => "NOT_FRAUD",
        (TokenAction.Unsuspend, "F") => "DEVICE_FOUND",
        (_, "L") => "DEVICE_LOST",
        (_, "S") => "DEVICE_STOLEN",
        (_, "T" or "F") => "SUSPECTED_FRAUD",
        (_, "C") => "ACCOUNT_CLOSED",
        _ => "OTHER",
    };

    public static string Mmyy(string month, string year) => month + year;

    /// <summary>Minor units as a decimal amount with the currency's ISO 4217 exponent.</summary>
    public static string Amount(long minorUnits, string currency)
    {
        var exponent = currency switch
        {
            "JPY" or "KRW" or "VND" or "CLP" or "ISK" or "XOF" or "XAF" or "XPF" or "PYG" or "UGX" or "RWF" => 0,
            "BHD" or "KWD" or "JOD" or "OMR" or "TND" or "IQD" or "LYD" => 3,
            _ => 2,
        };
        return (minorUnits / (decimal)Math.Pow(10, exponent)).ToString("F" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary><c>{"Token": {"TokenUniqueReference", "CommentId"?}}</c>, the answer of most token operations.</summary>
    public static JsonObject SimpleToken(string responseName, string tokenUniqueReference, string? commentId) =>
        new() { [responseName] = new JsonObject { ["Token"] = TokenRef(tokenUniqueReference, commentId) } };

    public static JsonObject TokenRef(string tokenUniqueReference, string? commentId)
    {
        var json = new JsonObject { ["TokenUniqueReference"] = tokenUniqueReference };
        if (commentId is not null)
        {
            json["CommentId"] = commentId;
        }

        return json;
    }

    /// <summary>The search answer's token (caller holds the store lock). Card-on-file server tokens: storage technology H.</summary>
    public static JsonObject Token(Token token)
    {
        var json = new JsonObject
        {
            ["TokenUniqueReference"] = token.TokenUniqueReference,
            ["PrimaryAccountNumberUniqueReference"] = token.PanUniqueReference,
            ["TokenSuffix"] = token.TokenPanSuffix,
            ["ExpirationDate"] = Mmyy(token.TokenExpiryMonth, token.TokenExpiryYear),
            ["AccountPanSequenceNumber"] = token.PanSequenceNumber,
            ["CurrentStatusCode"] = StatusCode(token.Status),
            ["CurrentStatusDescription"] = StatusDescription(token.Status),
            ["CurrentStatusDateTime"] = Wire.Timestamp(token.StatusTimestamp),
            ["FinalTokenizationDecision"] = token.AdditionalAuthenticationRequired ? "R" : "A",
            ["TokenRequestorId"] = token.TokenRequestorId,
            ["StorageTechnology"] = "H",
            ["TokenAssuranceLevel"] = token.TokenAssuranceLevel.ToString(CultureInfo.InvariantCulture),
            ["TokenDeletedFromConsumerApp"] = token.DeletedFromConsumerApp ? "TRUE" : "FALSE",
        };
        if (token.Status == TokenStatus.Suspended)
        {
            json["Suspenders"] = new JsonObject { ["Suspender"] = new JsonArray([.. token.SuspendedBy.Select(p => (JsonNode)Party(p)).DistinctBy(n => n!.GetValue<string>())]) };
        }

        if (token.ActivatedAt is { } activated)
        {
            json["TokenActivatedDateTime"] = Wire.Timestamp(activated);
        }

        if (token.ActivationCodeExpiresAt is { } codeExpiry && token.Status == TokenStatus.Inactive)
        {
            json["ActivationCodeExpirationDateTime"] = Wire.Timestamp(codeExpiry);
        }

        if (token.Comments.Count > 0)
        {
            json["LastCommentId"] = token.Comments[^1].CommentId;
        }

        return json;
    }

    public static JsonObject Audit(string userId, string userName, string organization, string? phone)
    {
        var json = new JsonObject { ["UserId"] = userId, ["UserName"] = userName, ["Organization"] = organization };
        if (phone is not null)
        {
            json["Phone"] = phone;
        }

        return json;
    }
}
