using MassTransit;
using ObotrGateway.Api.TokenStates;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.Notifications;

/// <summary>Applies freshly stored NTU inbox rows. Redelivery is harmless: a processed row is skipped.</summary>
internal sealed class ApplyTokenUpdatesConsumer(TokenStateStore store) : IConsumer<ApplyTokenUpdates>
{
    public async Task Consume(ConsumeContext<ApplyTokenUpdates> context)
    {
        foreach (var id in context.Message.InboxIds)
        {
            await store.ApplyNotificationAsync(id, context.CancellationToken);
        }
    }
}

internal sealed class ApplyTokenUpdatesConsumerDefinition : ConsumerDefinition<ApplyTokenUpdatesConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ApplyTokenUpdatesConsumer> consumerConfigurator, IRegistrationContext context) =>
        // Lock waits and transient database errors: retry briefly; the sweeper is the backstop after that.
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(100, 500, 2_000));
}
