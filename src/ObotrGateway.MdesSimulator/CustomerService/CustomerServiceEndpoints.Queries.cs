using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.CustomerService;

/// <summary>Read-only operations: search, status history, comments, transactions, system status.</summary>
internal static partial class CustomerServiceEndpoints
{
    private static readonly string[] SearchCriteria = ["AccountPan", "TokenUniqueReference", "Token", "PaymentAppInstanceId", "CommentId", "AlternateAccountIdentifier"];

    /// <summary>How far back <c>transactions</c> looks (seeds, support FAQ: the last 30 days only).</summary>
    private static readonly TimeSpan TransactionWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// Exactly one criterion. The issuer sees every requestor's tokens, grouped by funding account; deleted ones
    /// are included unless <c>ExcludeDeletedIndicator</c> is "true". Payment app instances and alternate account
    /// identifiers belong to device tokens and Maestro accounts the simulator does not hold: no match.
    /// </summary>
    public static async Task<IResult> Search(HttpRequest http, CsServices s)
    {
        var input = await CsInput.ReadAsync(http, "SearchRequest");
        var given = input.Problem is null ? SearchCriteria.Where(input.Has).ToList() : [];
        if (input.Problem is null && given.Count != 1)
        {
            input.Fail(given.Count == 0 ? "AccountPan" : given[1], CsErrors.InvalidFieldValue, "Give exactly one of " + string.Join(", ", SearchCriteria));
        }

        var pan = input.Digits("AccountPan", 9, 19);
        var tur = input.Optional("TokenUniqueReference", 48);
        var tokenNumber = input.Digits("Token", 9, 19);
        var commentId = input.Optional("CommentId", 64);
        input.Optional("PaymentAppInstanceId", 48);
        input.Optional("AlternateAccountIdentifier", 64);
        var excludeDeleted = input.Code("ExcludeDeletedIndicator", ["true", "false"], required: false) == "true";
        input.Audit();
        if (input.Problem is not null)
        {
            return input.Problem;
        }

        lock (s.Store.Sync)
        {
            IReadOnlyList<Token> found = pan is not null ? s.Store.ForPan(pan)
                : tur is not null ? Single(s.Store.Find(tur))
                : tokenNumber is not null ? Single(s.Store.FindByTokenNumber(tokenNumber))
                : commentId is not null ? Single(s.Store.FindByComment(commentId))
                : [];
            var tokens = found.Where(t => !excludeDeleted || t.Status != TokenStatus.Deactivated).ToList();
            if (tokens.Count == 0)
            {
                return CsErrors.UnknownToken("SearchRequest." + given[0]);
            }

            var accounts = tokens.GroupBy(t => t.FundingPan, StringComparer.Ordinal).Select(group =>
            {
                var first = group.First();
                var account = new JsonObject
                {
                    ["AccountPanSuffix"] = first.FundingPan[^4..],
                    ["ExpirationDate"] = CsWire.Mmyy(first.FundingExpiryMonth, first.FundingExpiryYear),
                };
                if (first.AlternateAccountIdSuffix is not null)
                {
                    account["AlternateAccountIdentifierSuffix"] = first.AlternateAccountIdSuffix;
                }

                account["Tokens"] = new JsonObject { ["Token"] = new JsonArray([.. group.Select(t => (JsonNode)CsWire.Token(t))]) };
                return (JsonNode)account;
            });
            return TypedResults.Json(Wrap("SearchResponse", new JsonObject { ["Accounts"] = new JsonObject { ["Account"] = new JsonArray([.. accounts]) } }));
        }

        static IReadOnlyList<Token> Single(Token? token) => token is null ? [] : [token];
    }

    /// <summary>Every recorded lifecycle step, oldest first: the status after it, who initiated it and why, and its comment.</summary>
    public static async Task<IResult> StatusHistory(HttpRequest http, CsServices s)
    {
        var (input, tur) = await ReadTokenRequestAsync(http, "TokenStatusHistoryRequest");
        if (input.Problem is not null)
        {
            return input.Problem;
        }

        lock (s.Store.Sync)
        {
            if (Lookup(s, "TokenStatusHistoryRequest", tur!, AnyStatus, out var token) is { } refused)
            {
                return refused;
            }

            var statuses = token.History.Select(h =>
            {
                var (code, description) = CsWire.Status(h.ToStatus);
                var json = new JsonObject
                {
                    ["StatusCode"] = code,
                    ["StatusDescription"] = description,
                    ["StatusDateTime"] = Wire.Timestamp(h.Timestamp),
                    ["Initiator"] = CsWire.Initiator(h.Source),
                };
                if (CsWire.ReasonLetter(h.ReasonCode) is { } reason)
                {
                    json["ReasonCode"] = reason;
                }

                if (h.UserId is not null && h.UserName is not null)
                {
                    // The legacy console names no organisation: its entries carry the console as theirs.
                    json["AuditInfo"] = CsWire.Audit(h.UserId, h.UserName, h.Organization ?? h.Source, null);
                }

                if (h.CommentId is not null)
                {
                    json["CommentId"] = h.CommentId;
                }

                return (JsonNode)json;
            });
            return TypedResults.Json(Wrap("TokenStatusHistoryResponse", new JsonObject { ["Statuses"] = new JsonObject { ["Status"] = new JsonArray([.. statuses]) } }));
        }
    }

    public static async Task<IResult> Comments(HttpRequest http, CsServices s)
    {
        var (input, tur) = await ReadTokenRequestAsync(http, "TokenCommentsRequest");
        if (input.Problem is not null)
        {
            return input.Problem;
        }

        lock (s.Store.Sync)
        {
            if (Lookup(s, "TokenCommentsRequest", tur!, AnyStatus, out var token) is { } refused)
            {
                return refused;
            }

            var comments = token.Comments.Select(c => (JsonNode)new JsonObject
            {
                ["CommentId"] = c.CommentId,
                ["CommentText"] = c.Text,
                ["CommentDateTime"] = Wire.Timestamp(c.At),
                ["AuditInfo"] = CsWire.Audit(c.UserId, c.UserName, c.Organization, c.Phone),
            });
            return TypedResults.Json(Wrap("TokenCommentsResponse", new JsonObject { ["Comments"] = new JsonObject { ["Comment"] = new JsonArray([.. comments]) } }));
        }
    }

    /// <summary>
    /// The authorizations the simulator's acquirer decided with this token in the last 30 days, newest first.
    /// Not for a token still in progress (seeds' table). The gateway names no merchant, so an authorization
    /// without one shows its token requestor: for on-behalf-of tokens that is the merchant.
    /// </summary>
    public static async Task<IResult> Transactions(HttpRequest http, CsServices s)
    {
        var (input, tur) = await ReadTokenRequestAsync(http, "TransactionsRequest");
        if (input.Problem is not null)
        {
            return input.Problem;
        }

        var since = s.Time.GetUtcNow() - TransactionWindow;
        lock (s.Store.Sync)
        {
            if (Lookup(s, "TransactionsRequest", tur!, [TokenStatus.Active, TokenStatus.Suspended, TokenStatus.Deactivated], out var token) is { } refused)
            {
                return refused;
            }

            var transactions = token.Authorizations.Where(a => a.At >= since).Reverse().Select(a =>
            {
                var json = new JsonObject
                {
                    ["TransactionDateTime"] = Wire.Timestamp(a.At),
                    ["TransactionAmount"] = CsWire.Amount(a.Amount, a.Currency),
                    ["CurrencyCode"] = a.Currency,
                    ["TransactionStatusCode"] = a.Approved ? "AUTH" : "DCLN",
                    ["TransactionTypeCode"] = "PURCH",
                    ["TransactionTypeDescription"] = "Purchase",
                    // DSRP with UCAF data / card on file.
                    ["POSEntryMode"] = "81",
                    ["MerchantName"] = a.MerchantName ?? "Token requestor " + token.TokenRequestorId,
                };
                if (a.MerchantCategoryCode is not null)
                {
                    json["MerchantCategoryCode"] = a.MerchantCategoryCode;
                }

                return (JsonNode)json;
            });
            return TypedResults.Json(Wrap("TransactionsResponse", new JsonObject { ["Transactions"] = new JsonObject { ["Transaction"] = new JsonArray([.. transactions]) } }));
        }
    }

    public static IResult SystemStatus(CsServices s) => TypedResults.Json(Wrap("SystemStatusResponse", new JsonObject
    {
        ["CommentText"] = "Mastercard Digital Enablement Service is fully operational",
        ["LastStatusDateTime"] = Wire.Timestamp(s.StartedAt),
    }));
}
