using System.Security.Cryptography;
using MassTransit;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.Cryptograms;

/// <summary>Where a payment's cryptogram comes from: the vault if one is ready, otherwise Transact right now.</summary>
internal sealed partial class CryptogramSource(
    CryptogramVault vault,
    IMdesClient mdes,
    IPublishEndpoint publish,
    IOptions<CryptogramOptions> options,
    ILogger<CryptogramSource> logger)
{
    /// <summary>A cryptogram nobody else will get. Asks for a background refill when the vault is in use.</summary>
    public async Task<StoredCryptogram> TakeAsync(string tokenUniqueReference, string tokenRequestorId, CancellationToken cancellationToken)
    {
        var cryptogram = await vault.TakeAsync(tokenUniqueReference)
            ?? await TransactAsync(tokenUniqueReference, tokenRequestorId, MdesCallPriority.Interactive, cancellationToken);
        if (options.Value.Prefill > 0)
        {
            try
            {
                await publish.Publish(new RefillCryptograms(tokenUniqueReference, tokenRequestorId), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A missed refill only costs the next payment an inline Transact; the payment must not fail for it.
                LogRefillNotRequested(exception.GetType().Name);
            }
        }

        return cryptogram;
    }

    /// <summary>Transact with a fresh CSPRNG unpredictable number; the result is not stored anywhere.</summary>
    public async Task<StoredCryptogram> TransactAsync(string tokenUniqueReference, string tokenRequestorId, MdesCallPriority priority,
        CancellationToken cancellationToken)
    {
        var response = await mdes.TransactAsync(new TransactRequest
        {
            TokenUniqueReference = tokenUniqueReference,
            UnpredictableNumber = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)),
        }, new MdesCallContext(tokenRequestorId, priority), cancellationToken);
        var data = response.EncryptedPayload?.EncryptedData;
        if (data?.AccountNumber is null || data.ApplicationExpiryDate is null || data.De48se43Data is null)
        {
            throw new InvalidOperationException("Transact answered without token number, expiry or cryptogram.");
        }

        return new StoredCryptogram(data.AccountNumber, data.ApplicationExpiryDate, data.PanSequenceNumber ?? "00", data.De48se43Data, data.Track2Equivalent);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not request a cryptogram refill ({ExceptionType})")]
    private partial void LogRefillNotRequested(string exceptionType);
}
