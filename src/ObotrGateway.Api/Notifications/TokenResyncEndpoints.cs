using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.TokenStates;

namespace ObotrGateway.Api.Notifications;

/// <summary>Operator tool: re-read at MDES the tokens whose state the gateway has not confirmed for a while.</summary>
internal static class TokenResyncEndpoints
{
    public const int MaxLimit = 1_000;

    /// <summary>Longer than any token has existed; it also keeps <c>now - olderThan</c> inside the calendar.</summary>
    public static readonly TimeSpan MaxOlderThan = TimeSpan.FromDays(3_650);

    public static void MapTokenResyncEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/admin/tokens/resync", Resync)
            // No Idempotency-Key: keys are scoped to a merchant and the operator is none (the middleware failed with a
            // 500 on an admin caller). A repeated resync is harmless: it re-reads state MDES holds anyway.
            .RequireAuthorization(MerchantAccess.AdminPolicy)
            .WithTags("Admin")
            .WithName("ResyncTokens")
            .WithSummary("Re-read through GetToken the tokens whose state is older than a given age.")
            .WithDescription("Runs the GetToken calls before answering, as a batch caller under each TRID's TPS cap (merchants' "
                + "interactive calls keep priority). Changes found are applied like NTUs and produce token.updated events. "
                + "Archived (deactivated) tokens are skipped.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    internal static async Task<Results<Ok<ResyncResult>, ProblemHttpResult>> Resync(ResyncRequest request, GatewayDbContext db,
        TokenStateReader reader, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.OlderThan is not { } olderThan || olderThan < TimeSpan.Zero || olderThan > MaxOlderThan)
        {
            return Problems.Validation("invalid_resync_request", "olderThan is required: a duration from \"00:00:00\" to \"3650.00:00:00\".",
                new Dictionary<string, string[]> { ["olderThan"] = ["A duration from 00:00:00 to 3650.00:00:00, e.g. \"00:10:00\"."] });
        }

        var limit = request.Limit ?? 100;
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Validation("invalid_resync_request", $"limit must be 1 to {MaxLimit}.",
                new Dictionary<string, string[]> { ["limit"] = [$"1 to {MaxLimit}."] });
        }

        var now = clock.GetUtcNow();
        var cutoff = now - olderThan;
        var ids = await db.Database.SqlQuery<Guid>($"""
            UPDATE gateway_tokens SET state_checked_at = {now}
            WHERE id IN (SELECT id FROM gateway_tokens
                         WHERE token_unique_reference IS NOT NULL AND archived_at IS NULL
                           AND GREATEST(updated_at, COALESCE(state_checked_at, updated_at)) <= {cutoff}
                         ORDER BY GREATEST(updated_at, COALESCE(state_checked_at, updated_at)) LIMIT {limit} FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var id in ids)
        {
            changed += await reader.CheckAsync(id, askTaskStatus: false, cancellationToken) ? 1 : 0;
        }

        return TypedResults.Ok(new ResyncResult(ids.Count, changed));
    }
}

internal sealed record ResyncRequest(
    [property: Required, Description("Re-read tokens whose state was last written or confirmed longer ago than this (e.g. \"00:10:00\").")] TimeSpan? OlderThan,
    [property: Range(1, 1000), Description("At most this many tokens (1–1000, default 100), oldest first.")] int? Limit);

internal sealed record ResyncResult(
    [property: Description("Tokens read at MDES.")] int Checked,
    [property: Description("Tokens whose state changed (each produced a token.updated event).")] int Changed);
