using Microsoft.AspNetCore.Http.HttpResults;
using ObotrGateway.MdesSimulator.Assets;
using ObotrGateway.MdesSimulator.TestCards;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.IssuerConsole;

/// <summary>
/// The legacy issuer console: a flat-body alias of the Customer Service API (<see cref="CustomerService.CustomerServiceEndpoints"/>,
/// docs/simulator.md maps each endpoint to its CS operation) over the same token state, history, comments and
/// NTUs, plus Mastercard Processing setTokenStatus and redigitize, which the CS API does not have.
/// No OAuth; every change here is one MDES would notify, so each produces an NTU to the token requestor.
/// </summary>
internal static class IssuerConsoleEndpoints
{
    private static readonly string[] ReasonCodes =
        ["DEVICE_LOST", "DEVICE_STOLEN", "SUSPECTED_FRAUD", "ACCOUNT_CLOSED", "NOT_FRAUD", "DEVICE_FOUND", "OTHER"];

    public static IEndpointRouteBuilder MapIssuerConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("").AddEndpointFilter<IssuerConsoleThrottle>().WithTags("Issuer console");
        console.MapPost("/issuer/tokens/search", Search).WithName("issuer-search");
        console.MapPost("/issuer/tokens/suspend", Suspend).WithName("issuer-suspend");
        console.MapPost("/issuer/tokens/unsuspend", Unsuspend).WithName("issuer-unsuspend");
        console.MapPost("/issuer/tokens/delete", Delete).WithName("issuer-delete");
        console.MapPost("/issuer/tokens/update", Update).WithName("issuer-update");
        console.MapPost("/issuer/tokens/redigitize", Redigitize).WithName("issuer-redigitize");
        console.MapGet("/issuer/tokens/{tokenUniqueReference}/history", History).WithName("issuer-history");
        console.MapPut("/cards/{cardContractId}/tokens", SetTokenStatus).WithName("set-token-status")
            .WithDescription("Mastercard Processing setTokenStatus; cardContractId is returned by /issuer/tokens/search.");
        return app;
    }

    public static Results<Ok<IssuerTokensResponse>, BadRequest<IssuerError>, NotFound<IssuerError>> Search(IssuerSearchRequest request, TokenStore store)
    {
        if ((request.Pan is null) == (request.TokenUniqueReference is null))
        {
            return TypedResults.BadRequest(new IssuerError("INVALID_REQUEST", "Give exactly one of pan or tokenUniqueReference"));
        }

        lock (store.Sync)
        {
            var pan = request.Pan ?? store.Find(request.TokenUniqueReference!)?.FundingPan;
            if (pan is null)
            {
                return TypedResults.NotFound(new IssuerError("INVALID_TOKEN_UNIQUE_REFERENCE", "Unknown token unique reference"));
            }

            var tokens = store.ForPan(pan)
                .Where(t => request.TokenUniqueReference is null || t.TokenUniqueReference == request.TokenUniqueReference)
                .Select(View)
                .ToList();
            return TypedResults.Ok(new IssuerTokensResponse(tokens));
        }
    }

    public static Results<Ok<IssuerTokensResponse>, BadRequest<IssuerError>, NotFound<IssuerError>, Conflict<IssuerError>> Suspend(
        IssuerLifecycleRequest request, TokenChanges changes, TokenStore store) =>
        Change(request, TokenAction.Suspend, changes, store, null);

    public static Results<Ok<IssuerTokensResponse>, BadRequest<IssuerError>, NotFound<IssuerError>, Conflict<IssuerError>> Unsuspend(
        IssuerLifecycleRequest request, TokenChanges changes, TokenStore store) =>
        Change(request, TokenAction.Unsuspend, changes, store, null);

    public static Results<Ok<IssuerTokensResponse>, BadRequest<IssuerError>, NotFound<IssuerError>, Conflict<IssuerError>> Delete(
        IssuerLifecycleRequest request, TokenChanges changes, TokenStore store) =>
        request.DeleteFromConsumerApp == true
            // A server token has no consumer device to remove it from: MDES keeps it as it is; only the audit trail changes.
            ? Change(request, TokenAction.Delete, changes, store, new DataChange(static _ => { }, false, false, Notify: false), TokenAction.Read)
            : Change(request, TokenAction.Delete, changes, store, null);

    public static Results<Ok<IssuerTokensResponse>, BadRequest<IssuerError>, NotFound<IssuerError>, Conflict<IssuerError>> Redigitize(
        IssuerLifecycleRequest request, TokenChanges changes, TokenStore store) =>
        Change(request with { ReasonCode = request.ReasonCode ?? "OTHER" }, TokenAction.Redigitize, changes, store,
            new DataChange(t => store.ChangeTokenNumber(t, store.NewTokenNumber()), ProductConfigChanged: false, TokenInfoChanged: true),
            eventReasonCode: "REDIGITIZATION_COMPLETE");

    public static Results<Ok<IssuerTokensResponse>, BadRequest<IssuerError>, NotFound<IssuerError>, Conflict<IssuerError>> Update(
        IssuerUpdateRequest request, TokenChanges changes, TokenStore store, SimulatorSecret secret)
    {
        var swap = request.NewAccountNumber is not null;
        if (swap && (!Luhn.IsValid(request.NewAccountNumber!) || request.NewAccountNumber!.Length is < 12 or > 19))
        {
            return TypedResults.BadRequest(new IssuerError("INVALID_PAN", "newAccountNumber is not a valid PAN"));
        }

        if (swap && !(IsMonth(request.NewExpiryMonth) && request.NewExpiryYear is { Length: 2 } y && y.All(char.IsAsciiDigit)))
        {
            return TypedResults.BadRequest(new IssuerError("MISSING_EXPIRY_DATE", "An FPAN swap needs newExpiryMonth (MM) and newExpiryYear (YY)"));
        }

        if (request.ProductConfigId is not null && !ProductCatalog.All.ContainsKey(request.ProductConfigId))
        {
            return TypedResults.BadRequest(new IssuerError("INVALID_PRODUCT_CONFIG", $"Known product configs: {string.Join(", ", ProductCatalog.All.Keys)}"));
        }

        var productChange = request.ProductConfigId is not null;
        var removeAlternate = request.RemoveAlternateAccountId == true;
        if (!swap && !productChange && !removeAlternate)
        {
            return TypedResults.BadRequest(new IssuerError("NOTHING_TO_UPDATE", "Give newAccountNumber, productConfigId or removeAlternateAccountId"));
        }

        var data = new DataChange(
            t =>
            {
                if (removeAlternate)
                {
                    t.AlternateAccountIdSuffix = null;
                }

                if (swap)
                {
                    store.ChangeFundingPan(t, request.NewAccountNumber!, secret.CardContractId(request.NewAccountNumber!), secret.PanUniqueReference(request.NewAccountNumber!));
                    t.FundingExpiryMonth = request.NewExpiryMonth!;
                    t.FundingExpiryYear = request.NewExpiryYear!;
                    t.PanSequenceNumber = request.NewPanSequenceNumber ?? t.PanSequenceNumber;
                }

                if (productChange)
                {
                    t.ProductConfigId = request.ProductConfigId!;
                }
            },
            ProductConfigChanged: productChange,
            TokenInfoChanged: swap,
            // Removing the alternate account id alone is not told to the wallet (seeds: token lifecycle, AAID removal).
            Notify: swap || productChange);
        var lifecycle = new IssuerLifecycleRequest(request.TokenUniqueReferences, request.ReasonCode ?? "OTHER", request.UserId, request.UserName, null, null);
        return Change(lifecycle, TokenAction.Update, changes, store, data);
    }

    public static Results<Ok<IssuerHistoryResponse>, NotFound<IssuerError>> History(string tokenUniqueReference, TokenStore store)
    {
        lock (store.Sync)
        {
            var token = store.Find(tokenUniqueReference);
            if (token is null)
            {
                return TypedResults.NotFound(new IssuerError("INVALID_TOKEN_UNIQUE_REFERENCE", "Unknown token unique reference"));
            }

            var entries = token.History
                .Select(h => new IssuerHistoryEntry(Wire.Timestamp(h.Timestamp), h.Action, h.Source, h.FromStatus, h.ToStatus, h.SuspendedBy, h.ReasonCode, h.UserId, h.UserName, h.CommentId))
                .ToList();
            return TypedResults.Ok(new IssuerHistoryResponse(tokenUniqueReference, entries));
        }
    }

    /// <summary>
    /// setTokenStatus for every token of a card (tokens the action does not apply to are left alone) or, with
    /// <c>tokenNumber</c>, for one token (a status the action does not apply to is a 409).
    /// </summary>
    public static Results<NoContent, BadRequest<IssuerError>, NotFound<IssuerError>, Conflict<IssuerError>> SetTokenStatus(
        string cardContractId, SetTokenStatusRequest request, TokenChanges changes, TokenStore store)
    {
        TokenAction? action = request.TokenStatus switch
        {
            "SUSPEND" => TokenAction.Suspend,
            "RESUME" => TokenAction.Unsuspend,
            "DEACTIVATE" => TokenAction.Delete,
            _ => null,
        };
        if (action is null)
        {
            return TypedResults.BadRequest(new IssuerError("INVALID_FIELD_VALUE", "tokenStatus must be SUSPEND, RESUME or DEACTIVATE"));
        }

        List<string> turs;
        lock (store.Sync)
        {
            var pan = store.PanForCardContract(cardContractId);
            if (pan is null)
            {
                return TypedResults.NotFound(new IssuerError("CARD_NOT_FOUND", "Unknown card contract id"));
            }

            var tokens = store.ForPan(pan);
            var single = request.TokenNumber is not null || request.TokenUniqueReference is not null;
            if (single)
            {
                var token = tokens.FirstOrDefault(t => t.TokenNumber == request.TokenNumber || t.TokenUniqueReference == request.TokenUniqueReference);
                if (token is null)
                {
                    return TypedResults.NotFound(new IssuerError("TOKEN_NOT_FOUND", "No such token on this card"));
                }

                turs = [token.TokenUniqueReference];
            }
            else
            {
                turs = [.. tokens.Where(t => TokenLifecycle.IsAllowed(action.Value, t.Status)).Select(t => t.TokenUniqueReference)];
            }

            if (turs.Count > 0)
            {
                var result = changes.Apply(turs, action.Value, ChangeActor.CardProcessing(request.UserId, request.UserName), "OTHER");
                if (result.Failure == ChangeFailure.InvalidStatus)
                {
                    return TypedResults.Conflict(new IssuerError("INVALID_TOKEN_STATUS", "The token's status does not allow this change"));
                }
            }
        }

        return TypedResults.NoContent();
    }

    private static Results<Ok<IssuerTokensResponse>, BadRequest<IssuerError>, NotFound<IssuerError>, Conflict<IssuerError>> Change(
        IssuerLifecycleRequest request,
        TokenAction action,
        TokenChanges changes,
        TokenStore store,
        DataChange? data,
        TokenAction? statusAction = null,
        string? eventReasonCode = null)
    {
        if (request.TokenUniqueReferences is not { Count: >= 1 and <= 10 } turs)
        {
            return TypedResults.BadRequest(new IssuerError("INVALID_FIELD_LENGTH", "tokenUniqueReferences must hold 1 to 10 values"));
        }

        if (string.IsNullOrWhiteSpace(request.UserId) || string.IsNullOrWhiteSpace(request.UserName))
        {
            return TypedResults.BadRequest(new IssuerError("MISSING_REQUIRED_FIELD", "userId and userName are required for the audit trail"));
        }

        if (request.ReasonCode is null || !ReasonCodes.Contains(request.ReasonCode, StringComparer.Ordinal))
        {
            return TypedResults.BadRequest(new IssuerError("INVALID_FIELD_VALUE", $"reasonCode must be one of {string.Join(", ", ReasonCodes)}"));
        }

        if (request.Comment is { Length: 0 or > 500 })
        {
            return TypedResults.BadRequest(new IssuerError("INVALID_FIELD_LENGTH", "comment must be 1 to 500 characters"));
        }

        // Delete-from-consumer-app is checked against Delete's row but changes no status (applied as a Read).
        if (statusAction is not null)
        {
            lock (store.Sync)
            {
                foreach (var tur in turs)
                {
                    var token = store.Find(tur);
                    if (token is null)
                    {
                        return TypedResults.NotFound(new IssuerError("INVALID_TOKEN_UNIQUE_REFERENCE", $"Unknown token unique reference {tur}"));
                    }

                    if (!TokenLifecycle.IsAllowed(action, token.Status))
                    {
                        return TypedResults.Conflict(new IssuerError("INVALID_TOKEN_STATUS", $"Token {tur} is {Wire.Status(token.Status)}"));
                    }
                }
            }
        }

        // The alias keeps comments like the CS API does (CommentId in history, token/comments, search by CommentId).
        var now = changes.Time.GetUtcNow();
        var result = changes.Apply(turs, statusAction ?? action, ChangeActor.IssuerConsole(request.UserId, request.UserName), request.ReasonCode,
            data: data, eventReasonCode: eventReasonCode, historyAction: statusAction is null ? null : "DELETE_FROM_CONSUMER_APP",
            commentFor: request.Comment is null ? null : t => store.AddComment(t, request.Comment, now, request.UserId!, request.UserName!, "ISSUER_CONSOLE", null).CommentId);
        switch (result.Failure)
        {
            case ChangeFailure.UnknownToken:
                return TypedResults.NotFound(new IssuerError("INVALID_TOKEN_UNIQUE_REFERENCE", $"Unknown token unique reference {result.FailedTokenUniqueReference}"));
            case ChangeFailure.InvalidStatus:
                return TypedResults.Conflict(new IssuerError("INVALID_TOKEN_STATUS", $"Token {result.FailedTokenUniqueReference} does not allow {action}"));
            default:
                lock (store.Sync)
                {
                    var views = result.Tokens.Select(t => store.Find(t.TokenUniqueReference)).OfType<Token>().Select(View).ToList();
                    return TypedResults.Ok(new IssuerTokensResponse(views));
                }
        }
    }

    private static bool IsMonth(string? value) => value is { Length: 2 } && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 12;

    // Caller holds the store lock.
    private static IssuerToken View(Token t) =>
        new(t.TokenUniqueReference, t.TokenRequestorId, Wire.Status(t.Status), [.. t.SuspendedBy.Select(Wire.Party)],
                Wire.Timestamp(t.StatusTimestamp), t.CardContractId, t.PanUniqueReference, t.PaymentAccountReference, t.AccountPanSuffix,
                t.AlternateAccountIdSuffix, t.TokenPanSuffix, t.TokenExpiryMonth + t.TokenExpiryYear, t.ProductConfigId);
}
