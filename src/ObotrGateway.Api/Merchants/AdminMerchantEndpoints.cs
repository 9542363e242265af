using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Merchants;

/// <summary>Operator API: create merchants, list them, rotate a merchant's API key.</summary>
internal static class AdminMerchantEndpoints
{
    public static void MapAdminMerchantEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1/admin/merchants")
            .RequireAuthorization(MerchantAccess.AdminPolicy)
            .WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        admin.MapPost("/", CreateMerchant).WithName("CreateMerchant")
            .WithSummary("Create a merchant with its own MDES Token Requestor ID; the API key is shown only in this response.")
            .WithDescription("The TRID must be exactly 11 digits and not used by another merchant (409 token_requestor_id_taken). The key is "
                + "stored only as a hash: keep it from this response, or rotate it.");
        admin.MapGet("/", ListMerchants).WithName("ListMerchants").WithSummary("List merchants, oldest first, by pages.")
            .WithDescription("Pass the previous page's nextAfter as after; nextAfter is null on the last page. API keys are never listed.");
        admin.MapPatch("/{merchantId:guid}", UpdateMerchant).WithName("UpdateMerchant")
            .WithSummary("Change a merchant's settings (name, tokenizeWhileTransacting).")
            .WithDescription("Only the members sent change; the TRID cannot change. 404 merchant_not_found.");
        admin.MapPost("/{merchantId:guid}/rotate-key", RotateKey).WithName("RotateMerchantKey")
            .WithSummary("Replace a merchant's API key; the old key stops working at once.")
            .WithDescription("The new key is shown only in this response. 404 merchant_not_found.");
    }

    internal static async Task<Results<Created<CreatedMerchant>, ProblemHttpResult>> CreateMerchant(
        CreateMerchantRequest request, GatewayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors["name"] = ["Required, 1 to 200 characters."];
        }

        if (!IsTrid(request.TokenRequestorId))
        {
            errors["tokenRequestorId"] = ["Exactly 11 digits: the merchant's MDES Token Requestor ID."];
        }

        if (request.TokenizeWhileTransacting is not null && !TokenizeWhileTransactingModes.IsValid(request.TokenizeWhileTransacting))
        {
            errors["tokenizeWhileTransacting"] = ["inline or after_authorization."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation("invalid_request", "Fix the fields listed in errors.", errors);
        }

        if (await db.Merchants.AnyAsync(existing => existing.TokenRequestorId == request.TokenRequestorId, cancellationToken))
        {
            return TridTaken();
        }

        var apiKey = ApiKeys.NewKey();
        var now = clock.GetUtcNow();
        var merchant = new Merchant
        {
            Id = Guid.CreateVersion7(now),
            Name = name!,
            TokenRequestorId = request.TokenRequestorId!,
            ApiKeyHash = ApiKeys.Hash(apiKey),
            CreatedAt = now,
            ApiKeyRotatedAt = now,
            TokenizeWhileTransacting = request.TokenizeWhileTransacting ?? TokenizeWhileTransactingModes.Inline,
        };
        db.Merchants.Add(merchant);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TridTaken(); // lost a race with a concurrent create of the same TRID
        }

        return TypedResults.Created($"/v1/admin/merchants/{merchant.Id}",
            new CreatedMerchant(merchant.Id, merchant.Name, merchant.TokenRequestorId, apiKey, merchant.CreatedAt, merchant.TokenizeWhileTransacting));
    }

    internal static async Task<Results<Ok<MerchantSummary>, ProblemHttpResult>> UpdateMerchant(
        Guid merchantId, UpdateMerchantRequest request, GatewayDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is not null && request.Name.Trim() is { Length: 0 or > 200 })
        {
            errors["name"] = ["1 to 200 characters."];
        }

        if (request.TokenizeWhileTransacting is not null && !TokenizeWhileTransactingModes.IsValid(request.TokenizeWhileTransacting))
        {
            errors["tokenizeWhileTransacting"] = ["inline or after_authorization."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation("invalid_request", "Fix the fields listed in errors.", errors);
        }

        var merchant = await db.Merchants.SingleOrDefaultAsync(candidate => candidate.Id == merchantId, cancellationToken);
        if (merchant is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "merchant_not_found", "No merchant has this id.");
        }

        merchant.Name = request.Name?.Trim() ?? merchant.Name;
        merchant.TokenizeWhileTransacting = request.TokenizeWhileTransacting ?? merchant.TokenizeWhileTransacting;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MerchantSummary.Of(merchant));
    }

    internal static async Task<Ok<MerchantPage>> ListMerchants(
        GatewayDbContext db, CancellationToken cancellationToken,
        [Description("Page size, 1 to 200 (default 50).")] int? limit = null,
        [Description("Return merchants created after this merchant id (the previous page's nextAfter).")] Guid? after = null)
    {
        var size = Math.Clamp(limit ?? 50, 1, 200);
        var query = db.Merchants.AsNoTracking();
        if (after is { } cursor)
        {
            // Ids are UUIDv7, so id order is creation order and the cursor is stable.
            query = query.Where(merchant => merchant.Id.CompareTo(cursor) > 0);
        }

        var page = await query.OrderBy(merchant => merchant.Id).Take(size + 1)
            .Select(merchant => new MerchantSummary(merchant.Id, merchant.Name, merchant.TokenRequestorId, merchant.CreatedAt,
                merchant.ApiKeyRotatedAt, merchant.TokenizeWhileTransacting))
            .ToListAsync(cancellationToken);
        var next = page.Count > size ? page[size - 1].MerchantId : (Guid?)null;
        return TypedResults.Ok(new MerchantPage(page.Take(size).ToList(), next));
    }

    internal static async Task<Results<Ok<RotatedKey>, ProblemHttpResult>> RotateKey(
        Guid merchantId, GatewayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.SingleOrDefaultAsync(candidate => candidate.Id == merchantId, cancellationToken);
        if (merchant is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "merchant_not_found", "No merchant has this id.");
        }

        var apiKey = ApiKeys.NewKey();
        merchant.ApiKeyHash = ApiKeys.Hash(apiKey);
        merchant.ApiKeyRotatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new RotatedKey(merchant.Id, apiKey, merchant.ApiKeyRotatedAt));
    }

    private static ProblemHttpResult TridTaken() =>
        Problems.Create(StatusCodes.Status409Conflict, "token_requestor_id_taken", "Another merchant already uses this Token Requestor ID.");

    internal static bool IsTrid(string? value) => value is { Length: 11 } && value.All(char.IsAsciiDigit);
}

internal sealed record CreateMerchantRequest(
    [property: Required, StringLength(200, MinimumLength = 1), Description("Display name, 1 to 200 characters.")] string? Name,
    [property: Required, RegularExpression("^[0-9]{11}$"), Description("The merchant's own MDES Token Requestor ID: exactly 11 digits.")] string? TokenRequestorId,
    [property: AllowedValues(TokenizeWhileTransactingModes.Inline, TokenizeWhileTransactingModes.AfterAuthorization), Description("Pay-and-store with a card: 'inline' (tokenize, then pay with the token; default) or 'after_authorization' (pay with the PAN, then tokenize).")]
    string? TokenizeWhileTransacting = null);

internal sealed record UpdateMerchantRequest(
    [property: StringLength(200, MinimumLength = 1), Description("Display name, 1 to 200 characters.")] string? Name,
    [property: AllowedValues(TokenizeWhileTransactingModes.Inline, TokenizeWhileTransactingModes.AfterAuthorization)] string? TokenizeWhileTransacting);

internal sealed record CreatedMerchant(Guid MerchantId, string Name, string TokenRequestorId,
    [property: Description("Shown only here. Stored as a hash; rotate it if lost.")] string ApiKey, DateTimeOffset CreatedAt,
    string TokenizeWhileTransacting);

internal sealed record MerchantSummary(Guid MerchantId, string Name, string TokenRequestorId, DateTimeOffset CreatedAt, DateTimeOffset ApiKeyRotatedAt,
    string TokenizeWhileTransacting)
{
    public static MerchantSummary Of(Merchant merchant) =>
        new(merchant.Id, merchant.Name, merchant.TokenRequestorId, merchant.CreatedAt, merchant.ApiKeyRotatedAt, merchant.TokenizeWhileTransacting);
}

internal sealed record MerchantPage(IReadOnlyList<MerchantSummary> Merchants, Guid? NextAfter);

internal sealed record RotatedKey(Guid MerchantId, string ApiKey, DateTimeOffset RotatedAt);
