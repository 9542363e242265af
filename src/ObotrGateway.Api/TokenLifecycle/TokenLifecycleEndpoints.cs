using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Merchants;

namespace ObotrGateway.Api.TokenLifecycle;

/// <summary>Delete, suspend and resume gateway tokens, one at a time or in batches of up to 500.</summary>
internal static class TokenLifecycleEndpoints
{
    private static readonly string[] DeleteAndSuspendReasonCodes = ["OTHER", "SUSPECTED_FRAUD"];
    private static readonly string[] UnsuspendReasonCodes = ["OTHER", "NOT_FRAUD"];

    public static RouteGroupBuilder MapTokenLifecycleEndpoints(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapMerchantGroup("/v1/gateway-tokens", "Token lifecycle");

        tokens.MapDelete("/{gatewayToken}", DeleteGatewayToken).WithName("DeleteGatewayToken")
            .WithSummary("Delete the MDES token behind a gateway token (DEACTIVATED, archived, cryptograms purged).")
            .WithDescription("Deleting an already deleted token answers 200 with result already_deleted and calls nobody. "
                + "404 gateway_token_not_found; 503 network_unavailable / network_outcome_unknown with Retry-After (retry: it reconciles).");
        tokens.MapPost("/delete", DeleteGatewayTokens).WithName("DeleteGatewayTokens")
            .WithSummary("Delete 1 to 500 gateway tokens; one result per token.")
            .WithDescription("MDES is called with at most 10 tokens per call, calls run concurrently within the TPS cap. Always 200 with a "
                + "result per token (deleted, already_deleted, not_found, failed + error). Re-running the same request finishes what failed "
                + "without touching finished tokens. Accepts Idempotency-Key (a replay returns the first answer: use a new key to re-run).");
        tokens.MapPost("/{gatewayToken}/suspend", SuspendGatewayToken).WithName("SuspendGatewayToken")
            .WithSummary("Suspend a gateway token as token requestor (its cryptograms are purged).")
            .WithDescription("Body optional: {reason?, reasonCode? (OTHER | SUSPECTED_FRAUD)}. Suspending twice is harmless. "
                + "409 token_deactivated / token_not_active; 404; 503 with Retry-After. Accepts Idempotency-Key.");
        tokens.MapPost("/{gatewayToken}/unsuspend", UnsuspendGatewayToken).WithName("UnsuspendGatewayToken")
            .WithSummary("Lift this gateway's suspension of a token.")
            .WithDescription("Lifts only the gateway's own hold: if the issuer or cardholder also suspended the token it stays SUSPENDED, the result "
                + "is still_suspended and suspendedBy says who holds it. Body optional: {reason?, reasonCode? (OTHER | NOT_FRAUD)}. Accepts Idempotency-Key.");
        tokens.MapPost("/suspend", SuspendGatewayTokens).WithName("SuspendGatewayTokens")
            .WithSummary("Suspend 1 to 500 gateway tokens; one result per token.")
            .WithDescription("At most 10 tokens per MDES call. Results: suspended, not_found, failed + error. Accepts Idempotency-Key.");
        tokens.MapPost("/unsuspend", UnsuspendGatewayTokens).WithName("UnsuspendGatewayTokens")
            .WithSummary("Lift this gateway's suspension of 1 to 500 gateway tokens; one result per token.")
            .WithDescription("At most 10 tokens per MDES call. Results: unsuspended, still_suspended (+ suspendedBy), not_found, failed + error. "
                + "Accepts Idempotency-Key.");
        return tokens;
    }

    internal static Task<Results<Ok<LifecycleOutcome>, ProblemHttpResult>> DeleteGatewayToken(
        string gatewayToken, HttpContext context, TokenStatusChanges changes, CancellationToken cancellationToken) =>
        SingleAsync(gatewayToken, null, LifecycleAction.Delete, context, changes, cancellationToken);

    internal static Task<Results<Ok<LifecycleOutcome>, ProblemHttpResult>> SuspendGatewayToken(
        string gatewayToken, LifecycleChangeRequest? request, HttpContext context, TokenStatusChanges changes, CancellationToken cancellationToken) =>
        SingleAsync(gatewayToken, request, LifecycleAction.Suspend, context, changes, cancellationToken);

    internal static Task<Results<Ok<LifecycleOutcome>, ProblemHttpResult>> UnsuspendGatewayToken(
        string gatewayToken, LifecycleChangeRequest? request, HttpContext context, TokenStatusChanges changes, CancellationToken cancellationToken) =>
        SingleAsync(gatewayToken, request, LifecycleAction.Unsuspend, context, changes, cancellationToken);

    internal static Task<Results<Ok<LifecycleBatchResponse>, ProblemHttpResult>> DeleteGatewayTokens(
        LifecycleBatchRequest request, HttpContext context, TokenStatusChanges changes, CancellationToken cancellationToken) =>
        BatchAsync(request, LifecycleAction.Delete, context, changes, cancellationToken);

    internal static Task<Results<Ok<LifecycleBatchResponse>, ProblemHttpResult>> SuspendGatewayTokens(
        LifecycleBatchRequest request, HttpContext context, TokenStatusChanges changes, CancellationToken cancellationToken) =>
        BatchAsync(request, LifecycleAction.Suspend, context, changes, cancellationToken);

    internal static Task<Results<Ok<LifecycleBatchResponse>, ProblemHttpResult>> UnsuspendGatewayTokens(
        LifecycleBatchRequest request, HttpContext context, TokenStatusChanges changes, CancellationToken cancellationToken) =>
        BatchAsync(request, LifecycleAction.Unsuspend, context, changes, cancellationToken);

    private static async Task<Results<Ok<LifecycleOutcome>, ProblemHttpResult>> SingleAsync(string gatewayToken, LifecycleChangeRequest? request,
        LifecycleAction action, HttpContext context, TokenStatusChanges changes, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var reasonCode = CheckReason(action, request?.ReasonCode, request?.Reason, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation("invalid_request", "Fix the fields in errors.", errors);
        }

        var outcome = (await changes.ApplyAsync(context.User.GetCallingMerchant(), [gatewayToken], action, reasonCode, request?.Reason, cancellationToken))[0];
        return outcome.Result switch
        {
            LifecycleResults.NotFound => Problems.GatewayTokenNotFound(),
            LifecycleResults.Failed => LifecycleProblems.For(outcome),
            _ => TypedResults.Ok(outcome),
        };
    }

    private static async Task<Results<Ok<LifecycleBatchResponse>, ProblemHttpResult>> BatchAsync(
        LifecycleBatchRequest request, LifecycleAction action, HttpContext context, TokenStatusChanges changes, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.GatewayTokens is not { Count: > 0 and <= TokenLifecycleOptions.MaxBatchSize } list)
        {
            errors["gatewayTokens"] = [$"1 to {TokenLifecycleOptions.MaxBatchSize} gateway tokens."];
        }
        else if (list.Any(string.IsNullOrWhiteSpace))
        {
            errors["gatewayTokens"] = ["Gateway tokens must not be empty."];
        }

        var reasonCode = CheckReason(action, request.ReasonCode, request.Reason, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation("invalid_request", "Nothing was changed: fix the fields in errors.", errors);
        }

        var outcomes = await changes.ApplyAsync(context.User.GetCallingMerchant(), [.. request.GatewayTokens!.Select(token => token!)],
            action, reasonCode, request.Reason, cancellationToken);
        var counts = outcomes.GroupBy(outcome => outcome.Result).ToDictionary(group => group.Key, group => group.Count());
        return TypedResults.Ok(new LifecycleBatchResponse(outcomes, counts));
    }

    private static string CheckReason(LifecycleAction action, string? reasonCode, string? reason, Dictionary<string, string[]> errors)
    {
        var allowed = action == LifecycleAction.Unsuspend ? UnsuspendReasonCodes : DeleteAndSuspendReasonCodes;
        if (reasonCode is not null && !allowed.Contains(reasonCode, StringComparer.Ordinal))
        {
            errors["reasonCode"] = [$"One of {string.Join(", ", allowed)}."];
        }

        if (reason is { Length: > 256 })
        {
            errors["reason"] = ["At most 256 characters (MDES limit)."];
        }

        return reasonCode ?? "OTHER";
    }
}

/// <summary>Optional details of a single-token suspend or unsuspend.</summary>
internal sealed record LifecycleChangeRequest(
    [property: StringLength(256), Description("Free text for the network, at most 256 characters.")] string? Reason,
    [property: AllowedValues("OTHER", "SUSPECTED_FRAUD", "NOT_FRAUD"), Description("Suspend: OTHER (default) or SUSPECTED_FRAUD. Unsuspend: OTHER (default) or NOT_FRAUD.")] string? ReasonCode);

/// <summary>A batch delete, suspend or unsuspend.</summary>
internal sealed record LifecycleBatchRequest(
    [property: Required, Length(1, 500), Description("1 to 500 gateway tokens of the calling merchant; duplicates are answered once.")] IReadOnlyList<string?>? GatewayTokens,
    [property: AllowedValues("OTHER", "SUSPECTED_FRAUD", "NOT_FRAUD"), Description("Delete/suspend: OTHER (default) or SUSPECTED_FRAUD. Unsuspend: OTHER (default) or NOT_FRAUD.")] string? ReasonCode,
    [property: StringLength(256), Description("Free text for the network, at most 256 characters.")] string? Reason);

internal sealed record LifecycleBatchResponse(
    [property: Description("One result per distinct gateway token, in request order.")] IReadOnlyList<LifecycleOutcome> Results,
    [property: Description("How many tokens ended with each result.")] IReadOnlyDictionary<string, int> Counts);
