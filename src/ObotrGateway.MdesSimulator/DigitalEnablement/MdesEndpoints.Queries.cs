using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

internal static partial class MdesEndpoints
{
    public static IResult GetToken(HttpContext http, MdesServices s)
    {
        var call = MdesCall.Of(http);
        var error = call.TryParse(out var request) ?? MdesShapes.GetToken.Validate(request);
        if (error is not null)
        {
            return call.Fail(error);
        }

        var tur = (string)request["tokenUniqueReference"]!;
        call.TokenUniqueReferences.Add(tur);
        var response = call.NewResponse(withResponseHost: false);
        lock (s.Store.Sync)
        {
            var token = s.Store.Find(tur);
            if (token is null || token.ConsumerKey != call.Requestor.ConsumerKey)
            {
                return call.Fail(MdesError.UnknownToken(tur));
            }

            call.TokenRequestorId = token.TokenRequestorId;
            response["token"] = TokenViews.Summary(token, notificationVariant: true, withRequestorId: true);
            if ((string?)request["includeTokenDetail"] == "true")
            {
                response["tokenDetail"] = TokenDetail(s, call, token, withDataValidUntil: false);
            }
        }

        return MdesCall.Ok(response);
    }

    public static IResult SearchTokens(HttpContext http, MdesServices s)
    {
        var call = MdesCall.Of(http);
        var error = call.TryParse(out var request) ?? MdesShapes.SearchTokens.Validate(request);
        if (error is not null)
        {
            return call.Fail(error);
        }

        var trid = (string?)request["tokenRequestorId"];
        call.TokenRequestorId = trid;
        if (trid is not null && !call.Requestor.MayUse(trid))
        {
            return call.Fail(MdesError.NotAuthorized("tokenRequestorId"));
        }

        var info = (JsonObject)request["fundingAccountInfo"]!;
        string? pan = null;
        if (info["encryptedPayload"] is JsonObject encrypted)
        {
            error = s.DecryptFundingAccount(encrypted, MdesShapes.SearchFundingAccountData, out var data);
            if (error is not null)
            {
                return call.Fail(error);
            }

            pan = (string)data["cardAccountData"]!["accountNumber"]!;
        }

        Token? anchor = null;
        if (info["tokenUniqueReference"] is { } turNode)
        {
            anchor = s.Store.Find((string)turNode!);
            if (anchor is null || anchor.ConsumerKey != call.Requestor.ConsumerKey)
            {
                return call.Fail(MdesError.UnknownToken((string)turNode!));
            }
        }
        else if (info["panUniqueReference"] is { } purNode)
        {
            anchor = s.Store.FirstForPur((string)purNode!, call.Requestor.ConsumerKey);
            if (anchor is null)
            {
                return call.Fail(MdesError.InvalidPur);
            }
        }
        else if (pan is null)
        {
            return call.Fail(MdesError.Missing("fundingAccountInfo.encryptedPayload"));
        }
        else if (pan.Length < 9)
        {
            // Six digits are only enough alongside a TUR (spec note on Search Tokens).
            return call.Fail(MdesError.Length("fundingAccountInfo.encryptedPayload.encryptedData.cardAccountData.accountNumber"));
        }

        var tokens = new JsonArray();
        lock (s.Store.Sync)
        {
            var fundingPan = anchor?.FundingPan ?? pan!;
            if (anchor is not null && pan is not null && !fundingPan.StartsWith(pan, StringComparison.Ordinal))
            {
                return call.Fail(MdesError.InvalidPan);
            }

            foreach (var token in s.Store.ForPan(fundingPan))
            {
                if (token.ConsumerKey == call.Requestor.ConsumerKey
                    && (trid is null || token.TokenRequestorId == trid)
                    && token.Status != TokenStatus.Deactivated)
                {
                    tokens.Add(TokenViews.Summary(token, notificationVariant: false, withRequestorId: false));
                    call.TokenUniqueReferences.Add(token.TokenUniqueReference);
                }
            }
        }

        var response = call.NewResponse();
        response["tokens"] = tokens;
        return MdesCall.Ok(response);
    }

    public static IResult GetTaskStatus(HttpContext http, MdesServices s)
    {
        var call = MdesCall.Of(http);
        var error = call.TryParse(out var request) ?? MdesShapes.GetTaskStatus.Validate(request);
        if (error is not null)
        {
            return call.Fail(error);
        }

        var trid = (string)request["tokenRequestorId"]!;
        call.TokenRequestorId = trid;
        if (!call.Requestor.MayUse(trid))
        {
            return call.Fail(MdesError.NotAuthorized("tokenRequestorId"));
        }

        var task = s.Store.FindTask(trid, (string)request["taskId"]!);
        if (task is null)
        {
            return call.Fail(MdesError.InvalidTaskId);
        }

        string status;
        lock (s.Store.Sync)
        {
            var token = task.TokenUniqueReference is null ? null : s.Store.Find(task.TokenUniqueReference);
            if (token is not null && token.ConsumerKey != call.Requestor.ConsumerKey)
            {
                return call.Fail(MdesError.InvalidTaskId);
            }

            status = TaskStatus(task, token, s.Time.GetUtcNow(), s.Options.ActivationDelay);
            if (token is not null)
            {
                call.TokenUniqueReferences.Add(token.TokenUniqueReference);
            }
        }

        var response = call.NewResponse();
        response["status"] = status;
        return MdesCall.Ok(response);
    }

    /// <summary>PENDING for the first half of the activation delay, IN_PROGRESS until activation, then COMPLETED.</summary>
    internal static string TaskStatus(TaskRecord task, Token? token, DateTimeOffset now, TimeSpan activationDelay)
    {
        if (task.Failed)
        {
            return "FAILED";
        }

        if (token is null)
        {
            return task.TokenUniqueReference is null ? "PENDING" : "FAILED";
        }

        if (token.ActivatedAt is not null)
        {
            return "COMPLETED";
        }

        if (token.Status == TokenStatus.Deactivated)
        {
            return "FAILED";
        }

        return now - task.CreatedAt < activationDelay / 2 ? "PENDING" : "IN_PROGRESS";
    }

    public static IResult GetAsset(HttpContext http, MdesServices s, string assetId)
    {
        var call = MdesCall.Of(http);
        var asset = s.Assets.Find(assetId);
        if (asset is null)
        {
            return call.Fail(MdesError.Value("assetId") with { HttpStatus = 404 });
        }

        var media = new JsonObject
        {
            ["type"] = asset.Type,
            ["data"] = Convert.ToBase64String(asset.Data),
            ["height"] = asset.Height.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["width"] = asset.Width.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return MdesCall.Ok(new JsonObject { ["mediaContents"] = new JsonArray(media) });
    }
}
