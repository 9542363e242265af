using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.Cryptograms;

/// <summary>
/// Tops a token's vault up to the prefill once a take left it at half or less (the taker claimed the refill, ADR 1201).
/// Runs as a batch caller under the TRID's TPS cap, and only for ACTIVE tokens; a purge while it runs (suspension,
/// redigitization) makes its adds no-ops.
/// </summary>
internal sealed partial class RefillCryptogramsConsumer(
    CryptogramVault vault,
    CryptogramSource source,
    GatewayDbContext db,
    IOptions<CryptogramOptions> options,
    ILogger<RefillCryptogramsConsumer> logger) : IConsumer<RefillCryptograms>
{
    public async Task Consume(ConsumeContext<RefillCryptograms> context)
    {
        var tur = context.Message.TokenUniqueReference;
        try
        {
            await RefillAsync(tur, context.Message.TokenRequestorId, context.CancellationToken);
        }
        finally
        {
            // Whatever happened, the next take that leaves the stock low may ask again (a retry of this message refills too).
            await vault.ReleaseRefillAsync(tur);
        }
    }

    private async Task RefillAsync(string tur, string tokenRequestorId, CancellationToken cancellationToken)
    {
        var active = await db.GatewayTokens.AsNoTracking()
            .AnyAsync(token => token.TokenUniqueReference == tur && token.Status == TokenStatuses.Active && token.ArchivedAt == null,
                cancellationToken);
        if (!active)
        {
            return;
        }

        var prefill = options.Value.Prefill;
        var generation = await vault.GenerationAsync(tur);
        var stock = await vault.CountAsync(tur);
        CryptogramMetrics.RefillStarted(stock);
        // Payments keep taking while this runs, so the stock each add reports decides whether to go on; at most one
        // prefill's worth per message, so a token paid faster than MDES answers does not keep one consumer forever.
        var added = 0;
        while (stock < prefill && added < prefill)
        {
            StoredCryptogram cryptogram;
            try
            {
                cryptogram = await source.TransactAsync(tur, tokenRequestorId, MdesCallPriority.Batch, cancellationToken);
            }
            catch (MdesException exception) when (!exception.Recoverable)
            {
                // e.g. INVALID_TOKEN_STATUS: the token changed under us; its NTU will tell us what happened.
                LogRefillStopped(exception.ReasonCode);
                return;
            }

            if (await vault.AddCountingAsync(tur, generation, cryptogram) is not { } after)
            {
                return; // purged meanwhile
            }

            stock = after;
            added++;
            CryptogramMetrics.RefillAdded();
        }

        LogRefilled(added);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cryptogram refill added {Added}")]
    private partial void LogRefilled(int added);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cryptogram refill stopped: MDES said {ReasonCode}")]
    private partial void LogRefillStopped(string reasonCode);
}

internal sealed class RefillCryptogramsConsumerDefinition : ConsumerDefinition<RefillCryptogramsConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RefillCryptogramsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // The only retry layer on this path: Transact itself is never retried by the HTTP pipeline.
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(500, 2000, 5000));
        endpointConfigurator.ConcurrentMessageLimit = 4;
    }
}
