using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.TokenStates;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>GetToken is the authoritative read of a token's state (the guide recommends it over stored state).</summary>
internal sealed class TokenRefresher(GatewayDbContext db, IMdesClient mdes, TokenStateReader reader, TimeProvider clock)
{
    /// <summary>
    /// Re-reads the token at MDES and applies what changed exactly as an NTU would be applied (never regress, purge
    /// cryptograms on suspend, archive on delete, one merchant event per change), then reloads <paramref name="token"/>.
    /// </summary>
    public async Task RefreshAsync(GatewayToken token, MdesCallPriority priority, CancellationToken cancellationToken)
    {
        if (token.TokenUniqueReference is null)
        {
            return;
        }

        await reader.RefreshAsync(token, priority, cancellationToken);
        await db.Entry(token).ReloadAsync(cancellationToken);
    }

    /// <summary>
    /// Waits (briefly) for a just-provisioned token to become ACTIVE, reading GetToken. Activation normally
    /// arrives by NTU within a second or two; this serves the flows where a person is waiting for a payment.
    /// </summary>
    /// <remarks>Best effort: an MDES failure here means "not active yet", never an error for the caller.</remarks>
    public async Task<bool> WaitUntilActiveAsync(GatewayToken token, TimeSpan budget, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + budget;
        var pause = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            await db.Entry(token).ReloadAsync(cancellationToken);
            if (token.Status != TokenStatuses.Inactive)
            {
                return token.Status == TokenStatuses.Active;
            }

            try
            {
                await RefreshAsync(token, MdesCallPriority.Interactive, cancellationToken);
            }
            catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
            {
                return false;
            }

            if (token.Status != TokenStatuses.Inactive || clock.GetUtcNow() + pause >= deadline)
            {
                return token.Status == TokenStatuses.Active;
            }

            // Back off: each poll spends one of the TRID's MDES calls per second.
            await Task.Delay(pause, clock, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    /// <summary>Token number and expiry without a cryptogram (SLI 247 payments), from GetToken's tokenDetail.</summary>
    public Task<MdesTokenNumber?> TokenDetailAsync(GatewayToken token, CancellationToken cancellationToken) =>
        mdes.GetTokenNumberAsync(token.TokenUniqueReference!, new MdesCallContext(token.TokenRequestorId), cancellationToken);
}
