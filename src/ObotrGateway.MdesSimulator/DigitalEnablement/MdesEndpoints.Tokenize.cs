using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.TestCards;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

internal static partial class MdesEndpoints
{
    public static async Task<IResult> Tokenize(HttpContext http, MdesServices s)
    {
        var call = MdesCall.Of(http);
        var error = call.TryParse(out var request) ?? MdesShapes.Tokenize.Validate(request);
        if (error is not null)
        {
            return call.Fail(error);
        }

        var trid = (string)request["tokenRequestorId"]!;
        var taskId = (string)request["taskId"]!;
        call.TokenRequestorId = trid;
        if (!call.Requestor.MayUse(trid))
        {
            return call.Fail(MdesError.NotAuthorized("tokenRequestorId"));
        }

        error = ResolveFundingAccount(s, call, (JsonObject)request["fundingAccountInfo"]!, trid, out var pan, out var expiryMonth, out var expiryYear);
        if (error is not null)
        {
            return call.Fail(error);
        }

        if (!s.Store.TryReserveTask(trid, taskId, s.Time.GetUtcNow()))
        {
            return call.Fail(MdesError.InvalidTaskId);
        }

        var card = TestCardCatalog.Classify(pan);
        switch (card.Behaviour)
        {
            case IssuerBehaviour.InvalidPan:
                s.Store.ReleaseTask(trid, taskId);
                return call.Fail(MdesError.InvalidPan);
            case IssuerBehaviour.Ineligible:
                s.Store.ReleaseTask(trid, taskId);
                return call.Fail(MdesError.PanIneligible);
            case IssuerBehaviour.IssuerError:
                // Recoverable: the same taskId may be retried.
                s.Store.ReleaseTask(trid, taskId);
                return call.Fail(MdesError.NoResponseFromIssuer);
            case IssuerBehaviour.SlowIssuer:
                await Task.Delay(s.Options.SlowIssuerDelay, s.Time, http.RequestAborted);
                break;
            default:
                break;
        }

        var now = s.Time.GetUtcNow();
        if (card.Behaviour == IssuerBehaviour.Declined || Expired(expiryMonth, expiryYear, now))
        {
            s.Store.FailTask(trid, taskId);
            var declined = call.NewResponse();
            declined["decision"] = "DECLINED";
            declined["supportsAuthentication"] = false;
            return MdesCall.Ok(declined);
        }

        var token = NewToken(s, call, card, trid, taskId, pan, expiryMonth, expiryYear, now);
        s.Store.Add(token);
        // Yellow path: the token waits INACTIVE until the issuer activates it (Customer Service token/activate).
        if (!token.AdditionalAuthenticationRequired)
        {
            s.Activation.Schedule(token.TokenUniqueReference);
        }

        call.TokenUniqueReferences.Add(token.TokenUniqueReference);

        var response = call.NewResponse();
        var additionalAuthentication = token.AdditionalAuthenticationRequired;
        response["decision"] = additionalAuthentication ? "REQUIRE_ADDITIONAL_AUTHENTICATION" : "APPROVED";
        if (additionalAuthentication)
        {
            response["authenticationMethods"] = new JsonArray([.. ActivationMethod.All.Select(m =>
                (JsonNode)new JsonObject { ["id"] = m.Id, ["type"] = m.DigitalEnablementType, ["value"] = m.MaskedValue })]);
        }

        lock (s.Store.Sync)
        {
            response["tokenUniqueReference"] = token.TokenUniqueReference;
            response["panUniqueReference"] = token.PanUniqueReference;
            response["productConfig"] = TokenViews.ProductConfig(token);
            response["tokenInfo"] = TokenViews.TokenInfo(token, notificationVariant: false);
            response["tokenDetail"] = TokenDetail(s, call, token, withDataValidUntil: true);
        }

        response["supportsAuthentication"] = additionalAuthentication;
        return MdesCall.Ok(response);
    }

    /// <summary>PAN and expiry from the encrypted account data, or from an earlier token (PUR / TUR repeat digitization).</summary>
    private static MdesError? ResolveFundingAccount(
        MdesServices s, MdesCall call, JsonObject info, string trid, out string pan, out string? expiryMonth, out string? expiryYear)
    {
        pan = "";
        expiryMonth = expiryYear = null;
        var given = (string[])["encryptedPayload", "panUniqueReference", "tokenUniqueReference"];
        var present = given.Where(name => info[name] is not null).ToList();
        if (present.Count == 0)
        {
            return MdesError.Missing("fundingAccountInfo.encryptedPayload");
        }

        if (present.Count > 1)
        {
            return MdesError.Value("fundingAccountInfo");
        }

        if (info["encryptedPayload"] is JsonObject encrypted)
        {
            var error = s.DecryptFundingAccount(encrypted, MdesShapes.FundingAccountData, out var data);
            if (error is not null)
            {
                return error;
            }

            var account = (JsonObject)data["cardAccountData"]!;
            pan = (string)account["accountNumber"]!;
            expiryMonth = (string?)account["expiryMonth"];
            expiryYear = (string?)account["expiryYear"];
            return expiryMonth is null || expiryYear is null ? MdesError.MissingExpiry : null;
        }

        Token? earlier = info["panUniqueReference"] is { } pur
            ? s.Store.FirstForPur((string)pur!, call.Requestor.ConsumerKey)
            : s.Store.Find((string)info["tokenUniqueReference"]!);
        if (earlier is null || earlier.ConsumerKey != call.Requestor.ConsumerKey || earlier.TokenRequestorId != trid)
        {
            return info["panUniqueReference"] is not null
                ? MdesError.InvalidPur
                : MdesError.UnknownToken((string)info["tokenUniqueReference"]!);
        }

        lock (s.Store.Sync)
        {
            pan = earlier.FundingPan;
            expiryMonth = earlier.FundingExpiryMonth;
            expiryYear = earlier.FundingExpiryYear;
        }

        return null;
    }

    private static bool Expired(string? month, string? year, DateTimeOffset now)
    {
        var y = 2000 + int.Parse(year!, CultureInfo.InvariantCulture);
        var m = int.Parse(month!, CultureInfo.InvariantCulture);
        return y < now.Year || (y == now.Year && m < now.Month);
    }

    private static Token NewToken(
        MdesServices s, MdesCall call, TestCardRange card, string trid, string taskId, string pan, string? expiryMonth, string? expiryYear, DateTimeOffset now)
    {
        var tokenExpiry = now.AddYears(3);
        var token = new Token
        {
            TokenUniqueReference = "DWSPMC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(21)),
            PanUniqueReference = s.Secret.PanUniqueReference(pan),
            TokenRequestorId = trid,
            ConsumerKey = call.Requestor.ConsumerKey,
            TaskId = taskId,
            FundingPan = pan,
            FundingExpiryMonth = expiryMonth!,
            FundingExpiryYear = expiryYear!,
            TokenNumber = s.Store.NewTokenNumber(),
            TokenExpiryMonth = tokenExpiry.Month.ToString("D2", CultureInfo.InvariantCulture),
            TokenExpiryYear = (tokenExpiry.Year % 100).ToString("D2", CultureInfo.InvariantCulture),
            PaymentAccountReference = s.Secret.PaymentAccountReference(pan),
            CardContractId = s.Secret.CardContractId(pan),
            ProductConfigId = card.ProductConfigId,
            // The debit range models a Maestro migration: wallets show an alternate account id until the issuer removes it.
            AlternateAccountIdSuffix = card.ProductConfigId == Assets.ProductCatalog.Debit ? "6" + pan[^3..] : null,
            CreatedAt = now,
            StatusTimestamp = now,
            AdditionalAuthenticationRequired = card.Behaviour == IssuerBehaviour.RequireAdditionalAuthentication,
            TokenAssuranceLevel = card.Behaviour == IssuerBehaviour.RequireAdditionalAuthentication ? 0 : 1,
        };
        token.Record("TOKENIZE", "MDES_API", "NONE", null, null, null, now);
        return token;
    }

    /// <summary><c>tokenDetail</c>: the TUR in clear, the sensitive data encrypted to the requestor (caller holds the lock).</summary>
    private static JsonObject TokenDetail(MdesServices s, MdesCall call, Token token, bool withDataValidUntil)
    {
        var clear = new JsonObject
        {
            ["tokenNumber"] = token.TokenNumber,
            ["expiryMonth"] = token.TokenExpiryMonth,
            ["expiryYear"] = token.TokenExpiryYear,
            ["paymentAccountReference"] = token.PaymentAccountReference,
        };
        if (withDataValidUntil)
        {
            clear["dataValidUntilTimestamp"] = Wire.Timestamp(s.Time.GetUtcNow().AddMinutes(30));
        }

        var detail = new JsonObject { ["tokenUniqueReference"] = token.TokenUniqueReference };
        foreach (var (name, value) in s.EncryptFor(call.Requestor, clear))
        {
            detail[name] = value?.DeepClone();
        }

        return detail;
    }
}
