using MassTransit;
using Microsoft.Extensions.Options;

namespace ObotrGateway.Api.Hosting;

internal static class Messaging
{
    /// <summary>MassTransit over RabbitMQ. Every consumer of the gateway is registered here, one line each.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        // Resolved lazily (not read from configuration here) so tests and deployments can override the prefix.
        services.AddSingleton<IEndpointNameFormatter>(provider =>
            new KebabCaseEndpointNameFormatter(provider.GetRequiredService<IOptions<MessagingOptions>>().Value.QueuePrefix, includeNamespace: false));
        services.AddSingleton<OwnQueues>();
        services.AddMassTransit(bus =>
        {
            // MassTransit reports usage to its vendor over the internet by default; a payment gateway makes no calls
            // nobody asked for (and its egress is normally closed: the report only fails and logs an error).
            bus.DisableUsageTelemetry();
            bus.AddConsumer<Cryptograms.RefillCryptogramsConsumer, Cryptograms.RefillCryptogramsConsumerDefinition>();
            bus.AddConsumer<BulkTokenization.ProcessTokenizationJobConsumer, BulkTokenization.ProcessTokenizationJobConsumerDefinition>();
            bus.AddConsumer<Notifications.ApplyTokenUpdatesConsumer, Notifications.ApplyTokenUpdatesConsumerDefinition>();
            bus.AddConsumer<CardArt.PrefetchCardArtConsumer, CardArt.PrefetchCardArtConsumerDefinition>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var connection = context.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.RabbitMq;
                rabbit.Host(new Uri(connection));
                rabbit.ConfigureEndpoints(context);
            });
        });

        // Boot does not wait for the broker: readiness reports it instead, and MassTransit reconnects.
        services.Configure<MassTransitHostOptions>(host =>
        {
            host.WaitUntilStarted = false;
            host.StopTimeout = TimeSpan.FromSeconds(15);
        });
        return services;
    }
}
