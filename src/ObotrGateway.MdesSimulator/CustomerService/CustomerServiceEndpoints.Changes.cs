using System.Globalization;
using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Assets;
using ObotrGateway.MdesSimulator.TestCards;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.CustomerService;

/// <summary>Token update, activation, assurance, mobile PIN and account holder messages.</summary>
internal static partial class CustomerServiceEndpoints
{
    private static readonly TokenStatus[] NotYetActive = [TokenStatus.Inactive];
    private static readonly TokenStatus[] Live = [TokenStatus.Active, TokenStatus.Suspended];

    /// <summary>Longest an account holder message may stay valid (spec: at most 30 days ahead).</summary>
    private static readonly TimeSpan MaxMessageLifetime = TimeSpan.FromDays(30);

    /// <summary>
    /// PAN swap (new PAN, expiry MMYY and/or PSN) or product configuration change, for one token
    /// (<c>TokenUniqueReference</c>) or every token of a card (<c>CurrentAccountPan</c>; tokens whose status does
    /// not allow an update are left alone, and none left is INVALID_TOKEN_STATUS). The token requestor is told by
    /// NTU unless <c>UpdateWalletProviderIndicator</c> is "1" (ADR 0204).
    /// </summary>
    public static async Task<IResult> Update(HttpRequest http, CsServices s)
    {
        const string Request = "TokenUpdateRequest";
        var input = await CsInput.ReadAsync(http, Request);
        var tur = input.Optional("TokenUniqueReference", 48);
        var currentPan = input.Digits("CurrentAccountPan", 9, 19);
        var newPan = input.Digits("NewAccountPan", 9, 19);
        var expiry = input.Digits("ExpirationDate", 4, 4);
        var psn = input.Digits("AccountPanSequenceNumber", 1, 2);
        // Not held to the spec's 10 characters: the simulator's product ids (ProductCatalog) are longer.
        var product = input.Optional("IssuerProductConfigurationId", 64);
        var walletIndicator = input.Code("UpdateWalletProviderIndicator", ["0", "1"], required: false);
        var comment = input.Optional("CommentText", 500);
        var audit = input.Audit();
        var cardData = newPan is not null || expiry is not null || psn is not null;
        if (input.Problem is null && (tur is null) == (currentPan is null))
        {
            input.Fail("TokenUniqueReference", CsErrors.InvalidFieldValue, "Give exactly one of TokenUniqueReference or CurrentAccountPan");
        }

        if (input.Problem is null && cardData == (product is not null))
        {
            input.Fail(product is null ? "NewAccountPan" : "IssuerProductConfigurationId", CsErrors.InvalidFieldValue,
                "Give IssuerProductConfigurationId, or any of NewAccountPan, ExpirationDate, AccountPanSequenceNumber — not both");
        }

        if (input.Problem is null && newPan is not null && (newPan.Length < 12 || !Luhn.IsValid(newPan)))
        {
            input.Fail("NewAccountPan", CsErrors.InvalidFieldValue, "NewAccountPan is not a valid PAN");
        }

        if (input.Problem is null && expiry is not null && int.Parse(expiry.AsSpan(0, 2), CultureInfo.InvariantCulture) is < 1 or > 12)
        {
            input.Fail("ExpirationDate", CsErrors.InvalidFieldValue, "ExpirationDate is MMYY");
        }

        if (input.Problem is null && product is not null && !ProductCatalog.All.ContainsKey(product))
        {
            input.Fail("IssuerProductConfigurationId", CsErrors.InvalidFieldValue, $"Known product configurations: {string.Join(", ", ProductCatalog.All.Keys)}");
        }

        if (input.Problem is not null)
        {
            return input.Problem;
        }

        var data = new DataChange(
            t =>
            {
                if (newPan is not null)
                {
                    s.Store.ChangeFundingPan(t, newPan, s.Secret.CardContractId(newPan), s.Secret.PanUniqueReference(newPan));
                }

                if (expiry is not null)
                {
                    t.FundingExpiryMonth = expiry[..2];
                    t.FundingExpiryYear = expiry[2..];
                }

                t.PanSequenceNumber = psn is null ? t.PanSequenceNumber : psn.PadLeft(2, '0');
                t.ProductConfigId = product ?? t.ProductConfigId;
            },
            ProductConfigChanged: product is not null,
            TokenInfoChanged: cardData,
            Notify: walletIndicator != "1");

        lock (s.Store.Sync)
        {
            List<string> turs;
            if (tur is not null)
            {
                if (Lookup(s, Request, tur, Live, out _) is { } refused)
                {
                    return refused;
                }

                turs = [tur];
            }
            else
            {
                var card = s.Store.ForPan(currentPan!);
                if (card.Count == 0)
                {
                    return CsErrors.UnknownToken(Request + ".CurrentAccountPan");
                }

                turs = [.. card.Where(t => Live.Contains(t.Status)).Select(t => t.TokenUniqueReference)];
                if (turs.Count == 0)
                {
                    return CsErrors.WrongStatus(Request + ".CurrentAccountPan", "not ACTIVE or SUSPENDED");
                }
            }

            var comments = Apply(s, turs, TokenAction.Update, reason: null, comment, audit!, data, eventReasonCode: null, historyAction: null);
            return TypedResults.Json(Wrap("TokenUpdateResponse", new JsonObject
            {
                ["Tokens"] = new JsonObject { ["Token"] = new JsonArray([.. turs.Select(t => (JsonNode)CsWire.TokenRef(t, comments[t]))]) },
            }));
        }
    }

    /// <summary>The ways an activation code can reach the cardholder of a token not yet active (masked values).</summary>
    public static async Task<IResult> ActivationMethods(HttpRequest http, CsServices s)
    {
        var (input, tur) = await ReadTokenRequestAsync(http, "TokenActivationMethodsRequest");
        if (input.Problem is not null)
        {
            return input.Problem;
        }

        lock (s.Store.Sync)
        {
            if (Lookup(s, "TokenActivationMethodsRequest", tur!, NotYetActive, out _) is { } refused)
            {
                return refused;
            }
        }

        var methods = Tokens.ActivationMethod.All.Select(m => (JsonNode)new JsonObject
        {
            ["ActivationMethodId"] = m.Id,
            ["ActivationMethodType"] = m.CustomerServiceType,
            ["ActivationMethodValue"] = m.MaskedValue,
            ["ResendIndicator"] = m.CanResend ? "TRUE" : "FALSE",
        });
        return TypedResults.Json(Wrap("TokenActivationMethodsResponse", new JsonObject
        {
            ["ActivationMethods"] = new JsonObject { ["ActivationMethod"] = new JsonArray([.. methods]) },
        }));
    }

    /// <summary>Sends a new code through a method that allows it; the code's expiry shows in search until activation.</summary>
    public static async Task<IResult> ResendActivationCode(HttpRequest http, CsServices s)
    {
        const string Request = "TokenResendActivationCodeRequest";
        var input = await CsInput.ReadAsync(http, Request);
        var tur = input.Required("TokenUniqueReference", 48);
        var methodId = input.Required("ActivationMethodId", 16);
        input.Audit();
        if (input.Problem is null && Tokens.ActivationMethod.All.FirstOrDefault(m => m.Id == methodId) is not { CanResend: true })
        {
            input.Fail("ActivationMethodId", CsErrors.InvalidFieldValue, "No activation method with this id can re-send a code");
        }

        if (input.Problem is not null)
        {
            return input.Problem;
        }

        lock (s.Store.Sync)
        {
            if (Lookup(s, Request, tur!, NotYetActive, out var token) is { } refused)
            {
                return refused;
            }

            token.ActivationCodeExpiresAt = s.Time.GetUtcNow() + Tokens.ActivationMethod.CodeValidity;
            return TypedResults.Json(Wrap("TokenResendActivationCodeResponse", new JsonObject { ["Token"] = CsWire.TokenRef(tur!, null) }));
        }
    }

    /// <summary>
    /// The yellow path's end: the agent has authenticated the cardholder (reason A or C) and activates the token;
    /// MDES then tells the token requestor, with the product configuration and token info as on any activation.
    /// By TUR, or by AccountPan + PaymentAppInstanceId (device tokens, which the simulator does not hold).
    /// </summary>
    public static async Task<IResult> Activate(HttpRequest http, CsServices s)
    {
        const string Request = "TokenActivateRequest";
        var input = await CsInput.ReadAsync(http, Request);
        var tur = input.Optional("TokenUniqueReference", 48);
        var pan = input.Digits("AccountPan", 9, 19);
        var appInstance = input.Optional("PaymentAppInstanceId", 48);
        var reason = input.Code("ReasonCode", CsWire.ActivateReasons);
        var comment = input.Optional("CommentText", 500);
        var audit = input.Audit();
        if (input.Problem is null && (tur is null) == (pan is null && appInstance is null))
        {
            input.Fail("TokenUniqueReference", CsErrors.InvalidFieldValue, "Give TokenUniqueReference, or AccountPan with PaymentAppInstanceId");
        }

        if (input.Problem is null && tur is null && (pan is null || appInstance is null))
        {
            input.Fail(pan is null ? "AccountPan" : "PaymentAppInstanceId", CsErrors.MissingRequiredField, "AccountPan and PaymentAppInstanceId go together");
        }

        if (input.Problem is not null)
        {
            return input.Problem;
        }

        if (tur is null)
        {
            return CsErrors.UnknownToken(Request + ".PaymentAppInstanceId");
        }

        return Change(s, Request, "TokenActivateResponse", tur, TokenAction.Activate, reason, comment, audit!,
            new DataChange(static t => t.ActivationCodeExpiresAt = null, ProductConfigChanged: true, TokenInfoChanged: true), withEventReason: false);
    }

    /// <summary>
    /// Records that the issuer has now identified and verified the cardholder: the token's assurance level becomes
    /// 1 (authenticated), shown in search and in the NTU's tokenInfo. Allowed where an update is.
    /// </summary>
    public static async Task<IResult> UpdateTokenAssurance(HttpRequest http, CsServices s)
    {
        var input = await CsInput.ReadAsync(http, "UpdateTokenAssuranceRequest");
        var tur = input.Required("TokenUniqueReference", 48);
        var comment = input.Optional("CommentText", 500);
        var audit = input.Audit();
        if (input.Problem is not null)
        {
            return input.Problem;
        }

        lock (s.Store.Sync)
        {
            // Only a raised level is news to the token requestor; the agent's record (history, comment) is kept either way.
            var raised = s.Store.Find(tur!) is { TokenAssuranceLevel: 0 };
            return Change(s, "UpdateTokenAssuranceRequest", "UpdateTokenAssuranceResponse", tur!, TokenAction.Update, null, comment, audit!,
                new DataChange(static t => t.TokenAssuranceLevel = 1, ProductConfigChanged: false, TokenInfoChanged: true, Notify: raised),
                historyAction: "UPDATE_TOKEN_ASSURANCE");
        }
    }

    /// <summary>
    /// A mobile PIN belongs to a device wallet; every simulator token is a card-on-file server token, so an
    /// allowed status still gets the refusal FUNCTION_NOT_SUPPORTED and nothing changes.
    /// </summary>
    public static async Task<IResult> ResetMobilePin(HttpRequest http, CsServices s)
    {
        const string Request = "TokenResetMobilePinRequest";
        var input = await CsInput.ReadAsync(http, Request);
        var tur = input.Required("TokenUniqueReference", 48);
        input.Code("ReasonCode", CsWire.ResetMobilePinReasons);
        input.Optional("CommentText", 500);
        input.Audit();
        if (input.Problem is not null)
        {
            return input.Problem;
        }

        lock (s.Store.Sync)
        {
            return Lookup(s, Request, tur!, Live, out _)
                ?? CsErrors.BadRequest(Request + ".TokenUniqueReference", CsErrors.FunctionNotSupported, "Mobile PIN reset is not available for card-on-file tokens");
        }
    }

    /// <summary>Stores a message for the account holder's wallet (not a token change: no NTU). Not for a deleted token.</summary>
    public static async Task<IResult> AccountHolderMessaging(HttpRequest http, CsServices s)
    {
        const string Request = "AccountHolderMessagingRequest";
        var input = await CsInput.ReadAsync(http, Request);
        var tur = input.Required("TokenUniqueReference", 48);
        var messageId = input.Required("MessageIdentifier", 64);
        var display = input.Code("IssuerApplicationMessageDisplay", CsWire.Indicators);
        var text = input.Required("MessageText", 128);
        var expirationText = input.Required("MessageExpiration", 40);
        var language = input.Required("MessageLanguageCode", 3);
        input.Audit();
        var now = s.Time.GetUtcNow();
        DateTimeOffset expiration = default;
        if (input.Problem is null && (!DateTimeOffset.TryParse(expirationText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out expiration)
            || expiration <= now || expiration > now + MaxMessageLifetime))
        {
            input.Fail("MessageExpiration", CsErrors.InvalidFieldValue, "MessageExpiration is an ISO 8601 time in the next 30 days");
        }

        if (input.Problem is null && !language!.All(char.IsAsciiLetterLower))
        {
            input.Fail("MessageLanguageCode", CsErrors.InvalidFieldFormat, "MessageLanguageCode is an ISO 639-1 code");
        }

        if (input.Problem is not null)
        {
            return input.Problem;
        }

        lock (s.Store.Sync)
        {
            if (Lookup(s, Request, tur!, [TokenStatus.Inactive, TokenStatus.Active, TokenStatus.Suspended], out var token) is { } refused)
            {
                return refused;
            }

            Token.Append(token.Messages, new AccountHolderMessage(messageId!, text!, language!, expiration, display == "TRUE", now));
            return TypedResults.Json(Wrap("AccountHolderMessagingResponse", new JsonObject { ["Token"] = CsWire.TokenRef(tur!, null) }));
        }
    }
}
