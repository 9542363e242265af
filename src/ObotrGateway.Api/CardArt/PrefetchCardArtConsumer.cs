using MassTransit;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.CardArt;

/// <summary>
/// An NTU named card art asset ids the token did not have before (new issuer art): fetch them into the permanent
/// cache now, as a batch caller, so the first cardholder to see the new art does not wait for GetAsset. Ids the
/// cache already holds cost nothing, so a redelivered message is harmless.
/// </summary>
internal sealed partial class PrefetchCardArtConsumer(CardArtAssetCache cache, ILogger<PrefetchCardArtConsumer> logger)
    : IConsumer<TokenAssetsChanged>
{
    public async Task Consume(ConsumeContext<TokenAssetsChanged> context)
    {
        var message = context.Message;
        foreach (var assetId in message.AssetIds)
        {
            try
            {
                await cache.GetAssetAsync(assetId, message.TokenRequestorId, context.CancellationToken, MdesCallPriority.Batch);
            }
            catch (MdesException exception) when (!exception.Recoverable)
            {
                // Retrying would get the same answer; the card art endpoint reports it if anyone asks for this asset.
                LogRefused(assetId, exception.ReasonCode);
            }
            catch (InvalidAssetException)
            {
                LogUnusable(assetId);
            }

            // MDES unavailable or over the cap: the exception goes to the retry policy; fetched ids stay cached.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card art asset {AssetId} not prefetched: MDES said {ReasonCode}")]
    private partial void LogRefused(string assetId, string reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card art asset {AssetId} not prefetched: MDES sent no usable content")]
    private partial void LogUnusable(string assetId);
}

internal sealed class PrefetchCardArtConsumerDefinition : ConsumerDefinition<PrefetchCardArtConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PrefetchCardArtConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Only a prefetch: a few spaced retries, then the first card art request fetches it instead.
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(1_000, 5_000, 30_000));
        endpointConfigurator.ConcurrentMessageLimit = 2;
    }
}
