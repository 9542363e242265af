using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.TokenStates;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>
/// Adopts the MDES token of an interrupted Tokenize: with the PAN in hand again, SearchTokens names the card's tokens, and
/// one that no gateway token claims is ours. Used when a merchant adds the card again (<see cref="CardTokenizer"/>) and
/// when a bulk item is reconciled; adopting avoids a second MDES token for the same card and merchant.
/// </summary>
internal sealed class OrphanAdopter(GatewayDbContext db, IMdesClient mdes, TimeProvider clock)
{
    /// <summary>The card's MDES tokens under the TRID that no gateway token claims (deleted ones are never adopted).</summary>
    public async Task<IReadOnlyList<MdesTokenState>> UnclaimedAsync(CardInput card, string tokenRequestorId, MdesCallPriority priority,
        CancellationToken cancellationToken)
    {
        var found = await mdes.SearchTokensAsync(card.Pan, card.ExpiryMonth, card.ExpiryYear, new MdesCallContext(tokenRequestorId, priority),
            cancellationToken);
        var turs = found.Where(token => token.TokenUniqueReference is not null && token.Status != TokenStatuses.Deactivated)
            .Select(token => token.TokenUniqueReference!).ToList();
        var known = await db.GatewayTokens.AsNoTracking().Where(token => token.TokenUniqueReference != null && turs.Contains(token.TokenUniqueReference))
            .Select(token => token.TokenUniqueReference!).ToListAsync(cancellationToken);
        return [.. found.Where(token => token.TokenUniqueReference is { } tur && turs.Contains(tur) && !known.Contains(tur))];
    }

    /// <summary>The PENDING row takes the found token, through the token-state rules. False when a concurrent add claimed it first.</summary>
    public async Task<bool> AdoptAsync(GatewayToken pending, MdesTokenState found)
    {
        pending.TokenUniqueReference = found.TokenUniqueReference;
        pending.Reconciliation = null;
        TokenTransitions.Apply(pending, TokenReport.Adopted(found), clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return true;
        }
        catch (DbUpdateException)
        {
            // A concurrent add of the same card adopted it (or claimed that TUR) first.
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
