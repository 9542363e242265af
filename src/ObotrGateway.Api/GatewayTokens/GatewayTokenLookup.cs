using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>The one way every feature finds a merchant's gateway token (answer <see cref="Hosting.Problems.GatewayTokenNotFound"/> when absent).</summary>
internal static class GatewayTokenLookup
{
    /// <summary>A merchant's own token, tracked; never a PENDING one. Another merchant's token is exactly as absent as a missing one.</summary>
    public static Task<GatewayToken?> FindGatewayTokenAsync(this GatewayDbContext db, CallingMerchant merchant, string gatewayToken,
        CancellationToken cancellationToken) =>
        db.GatewayTokens.SingleOrDefaultAsync(
            token => token.Token == gatewayToken && token.MerchantId == merchant.MerchantId && token.Status != TokenStatuses.Pending,
            cancellationToken);
}
