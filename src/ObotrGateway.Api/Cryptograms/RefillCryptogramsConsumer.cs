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
/// Tops a token's vault up to the prefill after a take. Runs as a batch caller under the TRID's TPS cap, and
/// only for ACTIVE tokens; a purge while it runs (suspension, redigitization) makes its adds no-ops.
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
        var active = await db.GatewayTokens.AsNoTracking()
            .AnyAsync(token => token.TokenUniqueReference == tur && token.Status == TokenStatuses.Active && token.ArchivedAt == null,
                context.CancellationToken);
        if (!active)
        {
            return;
        }

        var generation = await vault.GenerationAsync(tur);
        // Counted once: several refills for one token may run at once, and each tops up only what it saw missing.
        var missing = options.Value.Prefill - await vault.CountAsync(tur);
        CryptogramMetrics.RefillStarted(options.Value.Prefill - missing);
        var added = 0;
        while (added < missing)
        {
            StoredCryptogram cryptogram;
            try
            {
                cryptogram = await source.TransactAsync(tur, context.Message.TokenRequestorId, MdesCallPriority.Batch, context.CancellationToken);
            }
            catch (MdesException exception) when (!exception.Recoverable)
            {
                // e.g. INVALID_TOKEN_STATUS: the token changed under us; its NTU will tell us what happened.
                LogRefillStopped(exception.ReasonCode);
                return;
            }

            if (!await vault.AddAsync(tur, generation, cryptogram))
            {
                return; // purged meanwhile
            }

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
