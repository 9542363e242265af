using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Webhooks;

internal static class WebhookServiceRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WebhookOptions>(configuration, WebhookOptions.Section);
        // Merchant endpoints are arbitrary hosts: no redirects, and only public addresses, checked at connect time.
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => WebhookAddresses.CreateHandler(provider.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.AddHostedService<WebhookDispatcher>();
        // The payload in the document's webhooks section; "v1" is the document AddGatewayOpenApi configures.
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", openApi => openApi.AddDocumentTransformer<WebhookOpenApi>());
        return services;
    }
}
