using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Contracts;
using StackExchange.Redis;

namespace ObotrGateway.Api.Cryptograms;

/// <summary>Where a payment's cryptogram comes from: the vault if one is ready, otherwise Transact right now.</summary>
internal sealed partial class CryptogramSource(
    CryptogramVault vault,
    IMdesClient mdes,
    OwnQueues queues,
    IOptions<CryptogramOptions> options,
    ILogger<CryptogramSource> logger)
{
    /// <summary>
    /// A cryptogram nobody else will get. When the take leaves the token's stock at half the prefill or less and no
    /// refill of the token is under way, asks for one background refill (ADR 1201): one message tops up many takes.
    /// </summary>
    public async Task<StoredCryptogram> TakeAsync(string tokenUniqueReference, string tokenRequestorId, CancellationToken cancellationToken)
    {
        var prefill = options.Value.Prefill;
        StoredCryptogram? stored = null;
        var refillClaimed = false;
        try
        {
            (stored, refillClaimed) = await vault.TakeClaimingRefillAsync(tokenUniqueReference, claimBelow: prefill > 0 ? prefill / 2 : -1);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogVaultUnavailable(exception.GetType().Name); // the vault is an optimisation: pay with a fresh cryptogram
        }

        CryptogramMetrics.Taken(hit: stored is not null);
        var cryptogram = stored ?? await TransactAsync(tokenUniqueReference, tokenRequestorId, MdesCallPriority.Interactive, cancellationToken);
        if (refillClaimed)
        {
            try
            {
                await queues.SendAsync<RefillCryptogramsConsumer, RefillCryptograms>(new RefillCryptograms(tokenUniqueReference, tokenRequestorId),
                    cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A missed refill only costs later payments an inline Transact; the payment must not fail for it. The claim
                // is let go so the next take asks again (if Redis is what failed, the claim expires by itself).
                LogRefillNotRequested(exception.GetType().Name);
                await ReleaseQuietlyAsync(tokenUniqueReference);
            }
        }

        return cryptogram;
    }

    /// <summary>Transact now (fresh CSPRNG unpredictable number); the result is not stored anywhere.</summary>
    public async Task<StoredCryptogram> TransactAsync(string tokenUniqueReference, string tokenRequestorId, MdesCallPriority priority,
        CancellationToken cancellationToken)
    {
        var cryptogram = await mdes.TransactAsync(tokenUniqueReference, new MdesCallContext(tokenRequestorId, priority), cancellationToken);
        return new StoredCryptogram(cryptogram.TokenNumber, cryptogram.ApplicationExpiryDate, cryptogram.PanSequenceNumber, cryptogram.Cryptogram);
    }

    private async Task ReleaseQuietlyAsync(string tokenUniqueReference)
    {
        try
        {
            await vault.ReleaseRefillAsync(tokenUniqueReference);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogVaultUnavailable(exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cryptogram vault unavailable ({ExceptionType}); using Transact directly")]
    private partial void LogVaultUnavailable(string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not request a cryptogram refill ({ExceptionType})")]
    private partial void LogRefillNotRequested(string exceptionType);
}
