using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Merchants;

/// <summary>`GET /v1/merchant`: who the presented API key belongs to (a cheap way to check a key works).</summary>
internal static class MerchantProfileEndpoints
{
    public static void MapMerchantProfileEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/merchant", GetProfile)
            .RequireAuthorization(MerchantAccess.MerchantPolicy)
            .WithTags("Merchant")
            .WithName("GetMerchantProfile")
            .WithSummary("The calling merchant's id, name and Token Requestor ID.")
            .WithDescription("Answers 200 for a working merchant key and 401 otherwise: a cheap check of a key.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    internal static async Task<Ok<MerchantProfile>> GetProfile(HttpContext context, GatewayDbContext db, CancellationToken cancellationToken)
    {
        var caller = context.User.GetCallingMerchant();
        var profile = await db.Merchants.AsNoTracking()
            .Where(merchant => merchant.Id == caller.MerchantId)
            .Select(merchant => new MerchantProfile(merchant.Id, merchant.Name, merchant.TokenRequestorId))
            .SingleAsync(cancellationToken);
        return TypedResults.Ok(profile);
    }
}

internal sealed record MerchantProfile(Guid MerchantId, string Name, string TokenRequestorId);
