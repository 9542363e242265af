using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.CustomerService;

/// <summary>
/// The published MDES Customer Service API v2 (specs/mdes-customer-service-2.0.7.json, base path
/// <c>/mdes/csapi/v2</c>): the issuer's agents search, suspend, unsuspend, delete, update and activate tokens and
/// read their history, comments and transactions. Every change goes through <see cref="TokenChanges"/> (the one
/// transition table and history) and reaches the token requestor as an NTU. No OAuth: the simulator trusts its
/// issuer side; <c>AuditInfo</c> names the agent.
/// </summary>
internal static partial class CustomerServiceEndpoints
{
    public const string BasePath = "/mdes/csapi/v2";

    public static IEndpointRouteBuilder MapCustomerService(this IEndpointRouteBuilder app)
    {
        var cs = app.MapGroup(BasePath).AddEndpointFilter<CsThrottle>().WithTags("Customer Service API");
        cs.MapPost("/search", Search).WithName("cs-search");
        cs.MapPost("/token/suspend", Suspend).WithName("cs-token-suspend");
        cs.MapPost("/token/unsuspend", Unsuspend).WithName("cs-token-unsuspend");
        cs.MapPost("/token/delete", Delete).WithName("cs-token-delete");
        cs.MapPost("/token/update", Update).WithName("cs-token-update");
        cs.MapPost("/token/statushistory", StatusHistory).WithName("cs-token-statushistory");
        cs.MapPost("/token/comments", Comments).WithName("cs-token-comments");
        cs.MapPost("/token/activationmethods", ActivationMethods).WithName("cs-token-activationmethods");
        cs.MapPost("/token/resendactivationcode", ResendActivationCode).WithName("cs-token-resendactivationcode");
        cs.MapPost("/token/activate", Activate).WithName("cs-token-activate");
        cs.MapPost("/token/resetmobilepin", ResetMobilePin).WithName("cs-token-resetmobilepin");
        cs.MapPost("/transactions", Transactions).WithName("cs-transactions");
        cs.MapPost("/updatetokenassurance", UpdateTokenAssurance).WithName("cs-updatetokenassurance");
        cs.MapPost("/accountholdermessaging", AccountHolderMessaging).WithName("cs-accountholdermessaging");
        cs.MapGet("/systemstatus", SystemStatus).WithName("cs-systemstatus");
        return app;
    }

    public static Task<IResult> Suspend(HttpRequest http, CsServices s) =>
        StatusChangeAsync(http, s, "TokenSuspend", TokenAction.Suspend, CsWire.SuspendReasons);

    public static Task<IResult> Unsuspend(HttpRequest http, CsServices s) =>
        StatusChangeAsync(http, s, "TokenUnsuspend", TokenAction.Unsuspend, CsWire.UnsuspendReasons);

    /// <summary>The body of the queries that carry one token reference and the audit block, nothing else.</summary>
    private static async Task<(CsInput Input, string? Tur)> ReadTokenRequestAsync(HttpRequest http, string wrapper)
    {
        var input = await CsInput.ReadAsync(http, wrapper);
        var tur = input.Required("TokenUniqueReference", 48);
        input.Audit();
        return (input, tur);
    }

    /// <summary>Suspend and unsuspend read the same body under their own wrapper names and reason-code sets.</summary>
    private static async Task<IResult> StatusChangeAsync(HttpRequest http, CsServices s, string operation, TokenAction action, string[] reasons)
    {
        var input = await CsInput.ReadAsync(http, operation + "Request");
        var tur = input.Required("TokenUniqueReference", 48);
        var reason = input.Code("ReasonCode", reasons);
        var comment = input.Optional("CommentText", 500);
        var audit = input.Audit();
        return input.Problem ?? Change(s, operation + "Request", operation + "Response", tur!, action, reason!, comment, audit!);
    }

    /// <summary>
    /// Delete; <c>DeleteFromConsumerApp</c> "TRUE" (seeds, token lifecycle) only removes it from the consumer's
    /// app: checked against Delete's row, the MDES status stays and the token requestor is not notified.
    /// </summary>
    public static async Task<IResult> Delete(HttpRequest http, CsServices s)
    {
        var input = await CsInput.ReadAsync(http, "TokenDeleteRequest");
        var tur = input.Required("TokenUniqueReference", 48);
        var reason = input.Code("ReasonCode", CsWire.DeleteReasons);
        var comment = input.Optional("CommentText", 500);
        var fromAppOnly = input.Code("DeleteFromConsumerApp", CsWire.Indicators, required: false) == "TRUE";
        var audit = input.Audit();
        if (input.Problem is not null)
        {
            return input.Problem;
        }

        return fromAppOnly
            ? Change(s, "TokenDeleteRequest", "TokenDeleteResponse", tur!, TokenAction.Delete, reason!, comment, audit!,
                new DataChange(static t => t.DeletedFromConsumerApp = true, false, false, Notify: false), TokenAction.Read, "DELETE_FROM_CONSUMER_APP")
            : Change(s, "TokenDeleteRequest", "TokenDeleteResponse", tur!, TokenAction.Delete, reason!, comment, audit!);
    }

    /// <summary>
    /// One token, one action: unknown → EMPTY_RESULT, not allowed in its status → INVALID_TOKEN_STATUS (nothing
    /// changes, no comment is stored); otherwise the change, its comment and its history entry land together
    /// under the store lock, and the NTU is queued.
    /// </summary>
    private static IResult Change(
        CsServices s,
        string requestName,
        string responseName,
        string tur,
        TokenAction action,
        string? reason,
        string? commentText,
        AuditInfo audit,
        DataChange? data = null,
        TokenAction? appliedAs = null,
        string? historyAction = null,
        bool withEventReason = true)
    {
        lock (s.Store.Sync)
        {
            var token = s.Store.Find(tur);
            if (token is null)
            {
                return CsErrors.UnknownToken(requestName + ".TokenUniqueReference");
            }

            if (!TokenLifecycle.IsAllowed(action, token.Status))
            {
                return CsErrors.WrongStatus(requestName + ".TokenUniqueReference", Wire.Status(token.Status));
            }

            var commentId = Apply(s, [tur], appliedAs ?? action, reason, commentText, audit, data,
                withEventReason && reason is not null ? CsWire.NotificationReason(action, reason) : null,
                historyAction ?? (appliedAs is null ? null : action.ToString().ToUpperInvariant()))[tur];
            return TypedResults.Json(CsWire.SimpleToken(responseName, tur, commentId));
        }
    }

    /// <summary>Applies an already-checked change (caller holds the lock); returns each token's new CommentId, if any.</summary>
    private static Dictionary<string, string?> Apply(
        CsServices s, IReadOnlyList<string> turs, TokenAction action, string? reason, string? commentText, AuditInfo audit,
        DataChange? data, string? eventReasonCode, string? historyAction)
    {
        var comments = turs.ToDictionary(t => t, _ => (string?)null, StringComparer.Ordinal);
        var now = s.Time.GetUtcNow();
        var result = s.Changes.Apply(turs, action, ChangeActor.CustomerService(audit.UserId, audit.UserName, audit.Organization), reason,
            data: data, eventReasonCode: eventReasonCode, historyAction: historyAction, omitEventReason: eventReasonCode is null,
            commentFor: commentText is null ? null : t => comments[t.TokenUniqueReference] =
                s.Store.AddComment(t, commentText, now, audit.UserId, audit.UserName, audit.Organization, audit.Phone).CommentId);
        if (result.Failure != ChangeFailure.None)
        {
            // The caller checked every token under the same lock; reaching this is a bug, not a client error.
            throw new InvalidOperationException($"Checked change refused: {result.Failure}");
        }

        return comments;
    }

    /// <summary>Finds the token of a read-only request and checks the operation's status row (caller holds the lock).</summary>
    private static IResult? Lookup(CsServices s, string requestName, string tur, IReadOnlyCollection<TokenStatus> allowedIn, out Token token)
    {
        token = s.Store.Find(tur)!;
        if (token is null)
        {
            return CsErrors.UnknownToken(requestName + ".TokenUniqueReference");
        }

        return allowedIn.Contains(token.Status) ? null : CsErrors.WrongStatus(requestName + ".TokenUniqueReference", Wire.Status(token.Status));
    }

    private static readonly TokenStatus[] AnyStatus = [TokenStatus.Inactive, TokenStatus.Active, TokenStatus.Suspended, TokenStatus.Deactivated];

    private static JsonObject Wrap(string name, JsonObject content) => new() { [name] = content };
}
