using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>Add a card (tokenize), read one gateway token, list them.</summary>
internal static class GatewayTokenEndpoints
{
    public static RouteGroupBuilder MapGatewayTokenEndpoints(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapMerchantGroup("/v1/gateway-tokens", "Gateway tokens");

        tokens.MapPost("/", AddCard).WithName("AddCard")
            .WithSummary("Tokenize a card with MDES under the merchant's TRID and return a gateway token.")
            .WithDescription("Validates the card first (400 invalid_card, no network call). Declined → 422 tokenization_declined; "
                + "ineligible range → 422 pan_ineligible; network unavailable or over the TPS cap → 503 network_unavailable with Retry-After. "
                + "Nothing is stored unless the card was tokenized. Accepts Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        tokens.MapGet("/{gatewayToken}", GetGatewayToken).WithName("GetGatewayToken")
            .WithSummary("One gateway token; with refresh=true its state is re-read from MDES (GetToken) first.")
            .WithDescription("Deleted tokens stay readable here (status DEACTIVATED) until their archive retention ends; the list shows live tokens only.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        tokens.MapGet("/", ListGatewayTokens).WithName("ListGatewayTokens").WithSummary("The merchant's gateway tokens, newest first, by pages.")
            .WithDescription("Live tokens only (not pending, not deleted). Pass the previous page's nextBefore as before; it is null on the last page.");
        return tokens;
    }

    internal static async Task<Results<Created<GatewayTokenView>, ProblemHttpResult>> AddCard(
        AddCardRequest request, HttpContext context, CardTokenizer tokenizer, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (TokenizationProblems.InvalidCard(request.Card, clock.GetUtcNow()) is { } invalid)
        {
            return invalid;
        }

        var result = await tokenizer.TokenizeAsync(context.User.GetCallingMerchant(), request.Card!.ToInput(), CardTokenizer.SourceAddedManually,
            MdesCallPriority.Interactive, cancellationToken);
        return result is TokenizationResult.Provisioned provisioned
            ? TypedResults.Created($"/v1/gateway-tokens/{provisioned.Token.Token}", GatewayTokenView.Of(provisioned.Token))
            : TokenizationProblems.For(result);
    }

    internal static async Task<Results<Ok<GatewayTokenView>, ProblemHttpResult>> GetGatewayToken(
        string gatewayToken, HttpContext context, GatewayDbContext db, TokenRefresher refresher, CancellationToken cancellationToken,
        [Description("Re-read the token's state from MDES before answering.")] bool refresh = false)
    {
        var token = await db.FindGatewayTokenAsync(context.User.GetCallingMerchant(), gatewayToken, cancellationToken);
        if (token is null)
        {
            return Problems.GatewayTokenNotFound();
        }

        if (refresh && token.TokenUniqueReference is not null && token.ArchivedAt is null)
        {
            try
            {
                await refresher.RefreshAsync(token, MdesCallPriority.Interactive, cancellationToken);
            }
            catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
            {
                return TokenizationProblems.ForMdesFailure(exception, token);
            }
        }

        return TypedResults.Ok(GatewayTokenView.Of(token));
    }

    internal static async Task<Ok<GatewayTokenPage>> ListGatewayTokens(
        HttpContext context, GatewayDbContext db, CancellationToken cancellationToken,
        [Description("Page size, 1 to 200 (default 50).")] int? limit = null,
        [Description("The previous page's nextBefore: return tokens created before that one.")] string? before = null)
    {
        var merchant = context.User.GetCallingMerchant();
        var size = Math.Clamp(limit ?? 50, 1, 200);
        var query = db.GatewayTokens.AsNoTracking()
            .Where(token => token.MerchantId == merchant.MerchantId && token.Status != TokenStatuses.Pending && token.ArchivedAt == null);
        if (before is not null && await db.GatewayTokens.AsNoTracking()
                .Where(token => token.MerchantId == merchant.MerchantId && token.Token == before)
                .Select(token => (Guid?)token.Id).SingleOrDefaultAsync(cancellationToken) is { } cursor)
        {
            query = query.Where(token => token.Id.CompareTo(cursor) < 0);
        }

        var page = await query.OrderByDescending(token => token.Id).Take(size + 1).ToListAsync(cancellationToken);
        var views = page.Take(size).Select(GatewayTokenView.Of).ToList();
        return TypedResults.Ok(new GatewayTokenPage(views, page.Count > size ? views[^1].GatewayToken : null));
    }

}

internal sealed record AddCardRequest([property: System.ComponentModel.DataAnnotations.Required, Description("The card to tokenize.")] CardRequest? Card);

internal sealed record GatewayTokenPage(IReadOnlyList<GatewayTokenView> GatewayTokens, string? NextBefore);
